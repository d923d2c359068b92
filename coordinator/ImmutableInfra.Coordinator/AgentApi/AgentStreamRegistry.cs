using System.Collections.Concurrent;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Coordinator.AgentApi;

/// <summary>
/// The Sync streams this replica serves, by host. The host cache wakes a host's stream when its object
/// changes; a newer stream of the same host replaces (and ends) an older one.
/// </summary>
internal sealed class AgentStreamRegistry
{
    private readonly ConcurrentDictionary<string, AgentStream> _streams = new(StringComparer.Ordinal);

    private volatile bool _draining;

    public int Count => _streams.Count;

    /// <summary>Set once the replica stops: no stream opens any more.</summary>
    public bool Draining => _draining;

    public AgentStream Open(string hostKey, CancellationToken callToken)
    {
        if (_draining)
        {
            throw new InvalidOperationException("the replica is stopping");
        }

        var stream = new AgentStream(hostKey, callToken);
        _streams.AddOrUpdate(hostKey, stream, (_, older) =>
        {
            older.Replace();
            return stream;
        });
        return stream;
    }

    /// <summary>Stops taking streams and ends every open one (the replica is stopping; its agents reconnect elsewhere).</summary>
    public void EndAll()
    {
        _draining = true;
        foreach (var stream in _streams.Values)
        {
            stream.End();
        }
    }

    public void Close(AgentStream stream) => _streams.TryRemove(new KeyValuePair<string, AgentStream>(stream.HostKey, stream));

    public void Wake(string hostKey)
    {
        if (_streams.TryGetValue(hostKey, out var stream))
        {
            stream.Wake();
        }
    }

    public bool IsOpen(string hostKey) => _streams.ContainsKey(hostKey);

    /// <summary>The bootstrap data the host's open stream holds for this machine (once), or null.</summary>
    public BootstrapData? TakeBootstrap(string hostKey, string machineUid, DateTimeOffset now) =>
        _streams.TryGetValue(hostKey, out var stream) ? stream.TakeBootstrap(machineUid, now) : null;
}

/// <summary>One host's open stream: cancelled when replaced, woken when its object changes.</summary>
internal sealed class AgentStream : IDisposable
{
    private readonly CancellationTokenSource _ended;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Lock _lock = new();
    private (string MachineUid, BootstrapData Data, DateTimeOffset Expires)? _bootstrap;

    public AgentStream(string hostKey, CancellationToken callToken)
    {
        HostKey = hostKey;
        _ended = CancellationTokenSource.CreateLinkedTokenSource(callToken);
    }

    public string HostKey { get; }

    public CancellationToken Token => _ended.Token;

    public bool Replaced { get; private set; }

    /// <summary>Why the stream's credential no longer holds (re-keyed, denied, deleted); null while it does.</summary>
    public Grpc.Core.Status? Revoked { get; private set; }

    public void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken; one wake covers every change before it is taken.
        }
        catch (ObjectDisposedException)
        {
            // The stream ended.
        }
    }

    public Task WaitAsync(CancellationToken cancellationToken) => _wake.WaitAsync(cancellationToken);

    /// <summary>Keeps the bootstrap data just sent (by hash) in a Provision until the agent fetches it or it expires.</summary>
    public void HoldBootstrap(string machineUid, BootstrapData data, DateTimeOffset expires)
    {
        lock (_lock)
        {
            _bootstrap = (machineUid, data, expires);
        }
    }

    /// <summary>The held bootstrap data if it is for this machine and not expired; it is given out once.</summary>
    public BootstrapData? TakeBootstrap(string machineUid, DateTimeOffset now)
    {
        lock (_lock)
        {
            var held = _bootstrap;
            _bootstrap = null;
            return held is { } h && h.MachineUid == machineUid && now < h.Expires ? h.Data : null;
        }
    }

    public void Revoke(Grpc.Core.Status why)
    {
        Revoked = why;
        End();
    }

    public void Replace()
    {
        Replaced = true;
        End();
    }

    /// <summary>Ends the stream's work (the receive side finished, or sending failed).</summary>
    public void End()
    {
        try
        {
            _ended.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Ended on its own meanwhile.
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _bootstrap = null;
        }

        _ended.Dispose();
        _wake.Dispose();
    }
}
