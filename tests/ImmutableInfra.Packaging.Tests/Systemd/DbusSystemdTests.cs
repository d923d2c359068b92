using System.Diagnostics;
using ImmutableInfra.Agent.Platform;
using Xunit.Abstractions;

namespace ImmutableInfra.Packaging.Tests.Systemd;

/// <summary>
/// The agent's real <see cref="DbusSystemd"/> against the real systemd and dbus-daemon of an nspawn-booted Debian tree,
/// over the container's system bus: each operation, its errors, its deadline, and a reboot that takes the container down.
/// </summary>
public sealed class DbusSystemdTests(ITestOutputHelper output) : IDisposable
{
    private const string Sleeper = "iitest-sleeper.service";
    private const string Failing = "iitest-failing.service";
    private const string Hanging = "iitest-hanging.service";
    private const string Installable = "iitest-installable.service";

    private readonly string _work = Directory.CreateTempSubdirectory("immutableinfra-dbus-").FullName;

    [Fact]
    public async Task Operations_DriveTheRealManager_WaitForTheirJobs_ReportFailures_AndRebootTakesTheContainerDown()
    {
        var tree = Command.Check(Repository.Path("tests/ImmutableInfra.Packaging.Tests/Systemd/debian-tree.sh"), [], TimeSpan.FromMinutes(10)).Trim();
        using var container = NspawnContainer.Boot(tree, Units(), _work);
        var systemd = new DbusSystemd(container.SystemBusAddress);
        var hurried = new DbusSystemd(container.SystemBusAddress, TimeSpan.FromSeconds(2));
        var ct = CancellationToken.None;

        // Start returns once the job is done: the unit is active at that moment, not later.
        Assert.False(await systemd.IsActiveAsync(Sleeper, ct));
        await systemd.StartAsync(Sleeper, ct);
        Assert.Equal("active", State(container, Sleeper)["ActiveState"]);
        Assert.True(await systemd.IsActiveAsync(Sleeper, ct));
        var firstPid = State(container, Sleeper)["MainPID"];

        // Reload-or-restart of a unit that can reload reloads it (same process); restart replaces the process.
        await systemd.ReloadOrRestartAsync(Sleeper, ct);
        Assert.Equal(firstPid, State(container, Sleeper)["MainPID"]);
        Assert.Contains("reloaded", container.ExecChecked("cat", "/run/iitest-reloads"), StringComparison.Ordinal);
        await systemd.RestartAsync(Sleeper, ct);
        Assert.NotEqual(firstPid, State(container, Sleeper)["MainPID"]);

        await systemd.StopAsync(Sleeper, ct);
        Assert.Equal("inactive", State(container, Sleeper)["ActiveState"]);
        Assert.False(await systemd.IsActiveAsync(Sleeper, ct));
        // ... and of a unit that is not running starts it.
        await systemd.ReloadOrRestartAsync(Sleeper, ct);
        Assert.Equal("active", State(container, Sleeper)["ActiveState"]);

        // A failed job and an unknown unit are errors that say what happened.
        var failed = await Assert.ThrowsAsync<SystemdException>(() => systemd.StartAsync(Failing, ct));
        Assert.Contains("job failed", failed.Message, StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<SystemdException>(() => systemd.StartAsync("iitest-absent.service", ct));
        Assert.Contains("org.freedesktop.systemd1.NoSuchUnit", unknown.Message, StringComparison.Ordinal);
        Assert.False(await systemd.IsActiveAsync("iitest-absent.service", ct));

        // A job that never ends is cut at the deadline.
        var clock = Stopwatch.StartNew();
        var hung = await Assert.ThrowsAsync<SystemdException>(() => hurried.StartAsync(Hanging, ct));
        output.WriteLine($"{hung.Message} after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Contains("timed out", hung.Message, StringComparison.Ordinal);

        // Enable links the unit under /etc and reloads the manager; daemon-reload picks up a unit written since.
        await systemd.EnableAsync(Installable, ct);
        Assert.Equal("enabled", container.Exec("systemctl", "is-enabled", Installable).Stdout.Trim());
        container.ExecChecked("sh", "-c", "printf '[Service]\\nExecStart=/bin/sleep infinity\\n' > /etc/systemd/system/iitest-late.service");
        await systemd.DaemonReloadAsync(ct);
        await systemd.StartAsync("iitest-late.service", ct);
        Assert.True(await systemd.IsActiveAsync("iitest-late.service", ct));

        // A clean reboot: systemd-nspawn exits with 133, its code for "the container asked to reboot".
        await systemd.RebootAsync(ct);
        Assert.Equal(133, container.WaitForExit(TimeSpan.FromSeconds(60)));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static Dictionary<string, string> State(NspawnContainer container, string unit) => container.Show(unit, "ActiveState", "MainPID");

    private Dictionary<string, string> Units()
    {
        var units = new Dictionary<string, string>
        {
            [Sleeper] = "[Service]\nExecStart=/bin/sleep infinity\nExecReload=/bin/sh -c 'echo reloaded >> /run/iitest-reloads'\n",
            [Failing] = "[Service]\nType=oneshot\nExecStart=/bin/false\n",
            [Hanging] = "[Service]\nType=oneshot\nExecStart=/bin/sleep infinity\n",
            [Installable] = "[Service]\nExecStart=/bin/sleep infinity\n\n[Install]\nWantedBy=multi-user.target\n",
        };
        var binds = new Dictionary<string, string>();
        foreach (var (name, text) in units)
        {
            var path = Path.Combine(_work, name);
            File.WriteAllText(path, text);
            binds[path] = "/etc/systemd/system/" + name;
        }

        return binds;
    }
}
