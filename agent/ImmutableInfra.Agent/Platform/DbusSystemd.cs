using System.Collections.Concurrent;
using Tmds.DBus.Protocol;

namespace ImmutableInfra.Agent.Platform;

/// <summary>
/// The real <see cref="ISystemd"/>: systemd's manager (org.freedesktop.systemd1) over the system bus. A unit operation
/// enqueues a job and waits for its JobRemoved signal, so it returns when the unit has started, stopped or reloaded, or
/// throws with the job's result; every operation has a deadline.
/// </summary>
/// <remarks>
/// One bus connection per operation: the agent calls systemd a few times per bootstrap or VIP change, and a connection
/// that lives only for the call survives dbus-daemon restarts (kubeadm and bootstrap commands may restart it) with no
/// reconnect logic and nothing held while the agent idles.
/// </remarks>
internal sealed class DbusSystemd(string? busAddress = null, TimeSpan? timeout = null) : ISystemd
{
    private const string Service = "org.freedesktop.systemd1";
    private const string ManagerPath = "/org/freedesktop/systemd1";
    private const string ManagerInterface = "org.freedesktop.systemd1.Manager";

    private readonly string _address = busAddress ?? DBusAddress.System
        ?? throw new InvalidOperationException("no system bus address (DBUS_SYSTEM_BUS_ADDRESS)");

    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromMinutes(2);

    public Task StartAsync(string unit, CancellationToken cancellationToken) => RunJobAsync("StartUnit", unit, "replace", cancellationToken);

    public Task StopAsync(string unit, CancellationToken cancellationToken) => RunJobAsync("StopUnit", unit, "replace", cancellationToken);

    public Task RestartAsync(string unit, CancellationToken cancellationToken) => RunJobAsync("RestartUnit", unit, "replace", cancellationToken);

    public Task ReloadOrRestartAsync(string unit, CancellationToken cancellationToken) =>
        RunJobAsync("ReloadOrRestartUnit", unit, "replace", cancellationToken);

    public Task EnableAsync(string unit, CancellationToken cancellationToken) => CallAsync($"enable {unit}", async (connection, token) =>
    {
        await CallManagerAsync(connection, "EnableUnitFiles", "asbb", (ref MessageWriter writer) =>
        {
            writer.WriteArray(new[] { unit });
            writer.WriteBool(false); // persistent, under /etc, as `systemctl enable`
            writer.WriteBool(false); // do not replace existing links
        }, token).ConfigureAwait(false);
        // As `systemctl enable` does: the manager must see the new links.
        await CallManagerAsync(connection, "Reload", string.Empty, null, token).ConfigureAwait(false);
        return true;
    }, cancellationToken);

    public Task<bool> IsActiveAsync(string unit, CancellationToken cancellationToken) => CallAsync($"is-active {unit}", async (connection, token) =>
    {
        string path;
        try
        {
            path = await CallManagerAsync(connection, "GetUnit", "s", (ref MessageWriter writer) => writer.WriteString(unit), ReadObjectPath, token).ConfigureAwait(false);
        }
        catch (DBusErrorReplyException e) when (e.ErrorName == "org.freedesktop.systemd1.NoSuchUnit")
        {
            return false; // Not loaded: neither running nor about to.
        }

        var state = await CallAsync(connection, path, "org.freedesktop.DBus.Properties", "Get", "ss", (ref MessageWriter writer) =>
        {
            writer.WriteString("org.freedesktop.systemd1.Unit");
            writer.WriteString("ActiveState");
        }, static (message, _) => message.GetBodyReader().ReadVariantValue().GetString(), token).ConfigureAwait(false);
        // As `systemctl is-active`: a unit that is reloading is still active.
        return state is "active" or "reloading";
    }, cancellationToken);

    public Task DaemonReloadAsync(CancellationToken cancellationToken) => CallAsync("daemon-reload", async (connection, token) =>
    {
        await CallManagerAsync(connection, "Reload", string.Empty, null, token).ConfigureAwait(false);
        return true;
    }, cancellationToken);

    /// <summary>
    /// A clean reboot, as `systemctl reboot`: reboot.target replaces every other job, so units are stopped and file systems
    /// unmounted (the manager's Reboot() would skip both). Returns once the job is queued; the host then goes down.
    /// </summary>
    public Task RebootAsync(CancellationToken cancellationToken) => CallAsync("reboot", async (connection, token) =>
    {
        await CallManagerAsync(connection, "StartUnit", "ss", (ref MessageWriter writer) =>
        {
            writer.WriteString("reboot.target");
            writer.WriteString("replace-irreversibly");
        }, ReadObjectPath, token).ConfigureAwait(false);
        return true;
    }, cancellationToken);

    private Task<bool> RunJobAsync(string method, string unit, string mode, CancellationToken cancellationToken) =>
        CallAsync($"{method} {unit}", async (connection, token) =>
        {
            // Watch before enqueueing: the job may end before its reply arrives.
            var ended = new ConcurrentDictionary<string, TaskCompletionSource<string>>(StringComparer.Ordinal);
            TaskCompletionSource<string> Ending(string job) =>
                ended.GetOrAdd(job, static _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

            using var watch = await connection.WatchSignalAsync(
                Service, ManagerPath, ManagerInterface, "JobRemoved", ReadJobRemoved,
                (Notification<(string Job, string Result)> removed) =>
                {
                    if (removed.HasValue)
                    {
                        Ending(removed.Value.Job).TrySetResult(removed.Value.Result);
                    }
                },
                ObserverFlags.None, emitOnCapturedContext: false).AsTask().WaitAsync(token).ConfigureAwait(false);
            // Without a subscriber the manager may not emit job signals at all.
            await CallManagerAsync(connection, "Subscribe", string.Empty, null, token).ConfigureAwait(false);

            var job = await CallManagerAsync(connection, method, "ss", (ref MessageWriter writer) =>
            {
                writer.WriteString(unit);
                writer.WriteString(mode);
            }, ReadObjectPath, token).ConfigureAwait(false);
            var result = await Ending(job).Task.WaitAsync(token).ConfigureAwait(false);
            // "skipped": nothing to do (e.g. a reload of a unit that is not running).
            if (result is not ("done" or "skipped"))
            {
                throw new SystemdException($"{method} {unit}: job {result} (journalctl -u {unit} says why)");
            }

            return true;
        }, cancellationToken);

    /// <summary>Connects, runs <paramref name="operation"/> under the deadline, and turns every failure into a <see cref="SystemdException"/>.</summary>
    private async Task<T> CallAsync<T>(string what, Func<DBusConnection, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        using var connection = new DBusConnection(_address);
        try
        {
            await connection.ConnectAsync().AsTask().WaitAsync(deadline.Token).ConfigureAwait(false);
            return await operation(connection, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SystemdException($"systemd {what} timed out after {_timeout}");
        }
        catch (DBusErrorReplyException e)
        {
            throw new SystemdException($"systemd {what}: {e.ErrorMessage} ({e.ErrorName})", e);
        }
        catch (DBusConnectionException e)
        {
            throw new SystemdException($"systemd {what}: the system bus at {_address} is not reachable: {e.Message}", e);
        }
    }

    private static Task<bool> CallManagerAsync(DBusConnection connection, string method, string signature, BodyWriter? body, CancellationToken token) =>
        CallManagerAsync(connection, method, signature, body, static (_, _) => true, token);

    private static Task<T> CallManagerAsync<T>(
        DBusConnection connection, string method, string signature, BodyWriter? body, MessageValueReader<T> reader, CancellationToken token) =>
        CallAsync(connection, ManagerPath, ManagerInterface, method, signature, body, reader, token);

    private static Task<T> CallAsync<T>(
        DBusConnection connection, string path, string @interface, string method, string signature, BodyWriter? body,
        MessageValueReader<T> reader, CancellationToken token)
    {
        var writer = connection.GetMessageWriter();
        MessageBuffer message;
        try
        {
            writer.WriteMethodCallHeader(Service, path, @interface, method, signature.Length == 0 ? null : signature, MessageFlags.None);
            body?.Invoke(ref writer);
            message = writer.CreateMessage();
        }
        finally
        {
            writer.Dispose();
        }

        return connection.CallMethodAsync(message, reader).WaitAsync(token);
    }

    /// <summary>Writes a call's arguments; by reference, as the writer is a struct whose position must advance.</summary>
    private delegate void BodyWriter(ref MessageWriter writer);

    private static string ReadObjectPath(Message message, object? state) => message.GetBodyReader().ReadObjectPathAsString();

    /// <summary>JobRemoved(u id, o job, s unit, s result).</summary>
    private static (string Job, string Result) ReadJobRemoved(Message message, object? state)
    {
        var reader = message.GetBodyReader();
        reader.ReadUInt32();
        var job = reader.ReadObjectPathAsString();
        reader.ReadString();
        return (job, reader.ReadString());
    }
}
