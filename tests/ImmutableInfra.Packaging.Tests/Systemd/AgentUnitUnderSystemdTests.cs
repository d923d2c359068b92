using System.Diagnostics;
using System.Globalization;
using ImmutableInfra.Packaging.Tests.Release;
using Xunit.Abstractions;

namespace ImmutableInfra.Packaging.Tests.Systemd;

/// <summary>
/// The shipped unit and the published agent under a real systemd (PID 1 of a systemd-nspawn container), with the
/// Generic Host's systemd support doing the notifying: READY=1 only once started, STATUS=, watchdog pings that keep it
/// alive, a watchdog restart of a frozen agent, a clean stop (STOPPING=1, exit 0). The config points at a port where
/// nothing listens: the agent is READY once configured and keeps retrying the coordinator.
/// </summary>
[Collection(ReleaseGroup.Name)]
public sealed class AgentUnitUnderSystemdTests(ReleaseFixture release, ITestOutputHelper output) : IDisposable
{
    private const string Unit = "immutableinfra-agent.service";
    private const string Gate = "/run/immutableinfra-test-go";

    private static readonly string[] States = ["ActiveState", "SubState", "StatusText", "MainPID", "NRestarts", "Result"];

    private readonly string _work = Directory.CreateTempSubdirectory("immutableinfra-nspawn-").FullName;

    [Fact]
    public void Unit_IsActiveOnlyAfterReady_ShowsStatus_IsRestartedByTheWatchdog_AndStopsCleanly()
    {
        var clock = Stopwatch.StartNew();
        var tree = Command.Check(Repository.Path("tests/ImmutableInfra.Packaging.Tests/Systemd/debian-tree.sh"), [], TimeSpan.FromMinutes(10)).Trim();
        output.WriteLine($"debian tree {tree}: {clock.Elapsed.TotalSeconds:F0} s");
        var binary = release.AgentBinary("amd64");

        clock.Restart();
        using var container = NspawnContainer.Boot(tree, Binds(binary), _work);
        output.WriteLine($"container booted: {clock.Elapsed.TotalSeconds:F1} s");

        // The shipped unit, as systemd parsed it.
        var parsed = container.Show(Unit, "Type", "NotifyAccess", "Restart", "MemoryMax", "KillMode", "ExecStart");
        Assert.Equal("notify", parsed["Type"]);
        Assert.Equal("main", parsed["NotifyAccess"]);
        Assert.Equal("on-failure", parsed["Restart"]);
        Assert.Equal((512L * 1024 * 1024).ToString(CultureInfo.InvariantCulture), parsed["MemoryMax"]);
        Assert.Equal("mixed", parsed["KillMode"]);

        // Start: held at the gate, the agent has not run, so no READY=1: the unit must stay activating.
        container.ExecChecked("systemctl", "start", "--no-block", Unit);
        container.WaitFor(Unit, s => s["ActiveState"] == "activating", TimeSpan.FromSeconds(10), States);
        Thread.Sleep(TimeSpan.FromSeconds(2));
        var waiting = container.Show(Unit, States);
        Assert.Equal(("activating", "start", string.Empty), (waiting["ActiveState"], waiting["SubState"], waiting["StatusText"]));

        // Released: the agent reads its config and inventory, sends READY=1 and its STATUS=.
        container.ExecChecked("touch", Gate);
        var active = container.WaitFor(Unit, s => s["ActiveState"] == "active", TimeSpan.FromSeconds(30), States);
        Assert.Equal("running", active["SubState"]);
        var status = container.WaitFor(Unit, s => s["StatusText"].Contains("coordinator", StringComparison.Ordinal) || s["StatusText"].StartsWith("retrying", StringComparison.Ordinal), TimeSpan.FromSeconds(10), States);
        output.WriteLine($"StatusText={status["StatusText"]}");
        var timestamps = container.Show(Unit, "ExecMainStartTimestampMonotonic", "ActiveEnterTimestampMonotonic");
        output.WriteLine($"exec to READY=1 as systemd saw it: {(long.Parse(timestamps["ActiveEnterTimestampMonotonic"], CultureInfo.InvariantCulture) - long.Parse(timestamps["ExecMainStartTimestampMonotonic"], CultureInfo.InvariantCulture)) / 1000.0:F1} ms (gate wait included)");

        // Alive: the agent's WATCHDOG=1 (through the library's notifier, at half of WATCHDOG_USEC) keeps systemd from
        // restarting it for more than twice WatchdogSec.
        Thread.Sleep(TimeSpan.FromSeconds(7));
        var alive = container.Show(Unit, States);
        Assert.Equal(("active", "0", active["MainPID"]), (alive["ActiveState"], alive["NRestarts"], alive["MainPID"]));

        // Hang: a stopped agent sends no WATCHDOG=1; systemd must kill and restart it.
        clock.Restart();
        var hungPid = active["MainPID"];
        container.ExecChecked("systemctl", "kill", "--kill-whom=main", "--signal=SIGSTOP", Unit);
        var restarted = container.WaitFor(
            Unit,
            s => s["NRestarts"] == "1" && s["ActiveState"] == "active" && s["MainPID"] != hungPid && s["MainPID"] != "0",
            TimeSpan.FromSeconds(30),
            States);
        output.WriteLine($"watchdog restart: {clock.Elapsed.TotalSeconds:F1} s");
        Assert.Contains($"{Unit}: Watchdog timeout", container.ExecChecked("journalctl", "--no-pager", "-u", Unit), StringComparison.Ordinal);
        Assert.NotEqual(string.Empty, restarted["StatusText"]);

        // Stop: SIGTERM, STOPPING=1, exit 0: inactive, not failed.
        container.ExecChecked("systemctl", "stop", Unit);
        var stopped = container.Show(Unit, "ActiveState", "SubState", "Result", "ExecMainStatus");
        Assert.Equal(("inactive", "dead", "success", "0"), (stopped["ActiveState"], stopped["SubState"], stopped["Result"], stopped["ExecMainStatus"]));
        Assert.Contains("Agent stopping", container.ExecChecked("journalctl", "--no-pager", "-u", Unit), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private Dictionary<string, string> Binds(string binary)
    {
        var config = Path.Combine(_work, "agent.yaml");
        File.WriteAllText(config, """
            coordinatorUrl: http://127.0.0.1:9
            insecure: true
            pool: default/test-pool
            registrationToken: not-a-real-token
            reconnectBackoff:
              min: 1s
              max: 2s
            """);
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // Test-only overrides: a gate before the agent runs (to see the unit wait for READY=1), a short
        // watchdog, no rate limit on restarts and no core dump of the SIGABRTed agent.
        // NotifyAccess=main still applies: the shell execs the agent, which keeps the main PID.
        var dropIn = Path.Combine(_work, "test.conf");
        File.WriteAllText(dropIn, $"""
            [Unit]
            StartLimitBurst=100

            [Service]
            ExecStart=
            ExecStart=/bin/sh -c 'while [ ! -e {Gate} ]; do sleep 0.1; done; exec /usr/bin/immutableinfra-agent run --config /etc/immutableinfra/agent.yaml'
            WatchdogSec=3s
            RestartSec=1s
            LimitCORE=0

            """);

        return new Dictionary<string, string>
        {
            [binary] = "/usr/bin/immutableinfra-agent",
            [Repository.Path("packaging/systemd/" + Unit)] = "/usr/lib/systemd/system/" + Unit,
            [dropIn] = $"/etc/systemd/system/{Unit}.d/test.conf",
            [config] = "/etc/immutableinfra/agent.yaml",
        };
    }
}
