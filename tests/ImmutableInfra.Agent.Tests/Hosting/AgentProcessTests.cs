using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using ImmutableInfra.Agent.Tests.Inventory.Fixtures;

namespace ImmutableInfra.Agent.Tests.Hosting;

/// <summary>Runs the real agent binary as systemd would: NOTIFY_SOCKET, WATCHDOG_USEC, then SIGTERM.</summary>
public sealed class AgentProcessTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private static string AgentBinary => Path.Combine(AppContext.BaseDirectory, "immutableinfra-agent");

    private static Process Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(AgentBinary) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return Process.Start(info)!;
    }

    private static string ReceiveUntil(Socket socket, string wanted)
    {
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        while (!seen.ToString().Contains(wanted, StringComparison.Ordinal))
        {
            var read = socket.Receive(buffer);
            seen.Append(Encoding.UTF8.GetString(buffer, 0, read)).Append('\n');
        }

        return seen.ToString();
    }

    [Fact]
    public async Task Run_UnderNotifySocket_SignalsReadyPingsWatchdogAndStopsCleanlyOnSigterm()
    {
        using var tree = HostFixtures.VirtioVm();
        var config = _dir.Combine("agent.yaml");
        File.WriteAllText(config, $"coordinatorUrl: https://127.0.0.1:8443\npool: ns/p\nregistrationToken: very-secret-token\nstateDir: {_dir.Combine("state")}\nrootDir: {tree.Root}\n");
        var socketPath = _dir.Combine("notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        socket.ReceiveTimeout = 30_000;

        using var agent = Start(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "200000" }, "run", "--config", config);
        var stdout = agent.StandardOutput.ReadToEndAsync();
        var beforeStop = ReceiveUntil(socket, "READY=1") + ReceiveUntil(socket, "WATCHDOG=1");
        using (var kill = Process.Start("kill", ["-TERM", agent.Id.ToString(global::System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var afterStop = ReceiveUntil(socket, "STOPPING=1");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await agent.WaitForExitAsync(timeout.Token);

        Assert.Contains("STATUS=connecting to the coordinator\nREADY=1", beforeStop, StringComparison.Ordinal);
        Assert.Contains("STOPPING=1", afterStop, StringComparison.Ordinal);
        Assert.Equal(0, agent.ExitCode);
        var log = await stdout;
        Assert.Contains("<6>AgentHostedService: Agent ready", log, StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret-token", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BadConfig_ExitsOneNamingTheField()
    {
        var config = _dir.Combine("agent.yaml");
        File.WriteAllText(config, "coordinatorUrl: https://127.0.0.1:8443\npool: ns/p\nregistrationToken: t\nheartbeatIntervall: 5s\n");

        using var agent = Start(new Dictionary<string, string>(), "run", "--config", config);
        var error = await agent.StandardError.ReadToEndAsync();
        await agent.WaitForExitAsync();

        Assert.Equal(1, agent.ExitCode);
        Assert.Contains("heartbeatIntervall: unknown key", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_ExitsTwoWithUsage()
    {
        using var agent = Start(new Dictionary<string, string>(), "frobnicate");
        var error = await agent.StandardError.ReadToEndAsync();
        await agent.WaitForExitAsync();

        Assert.Equal(2, agent.ExitCode);
        Assert.Contains("usage: immutableinfra-agent", error, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
