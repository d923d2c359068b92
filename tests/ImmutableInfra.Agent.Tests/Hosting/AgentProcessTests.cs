using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using ImmutableInfra.Agent.Tests.Inventory.Fixtures;

namespace ImmutableInfra.Agent.Tests.Hosting;

/// <summary>Runs the real agent binary: a start and SIGTERM outside systemd, a bad config, a usage error.</summary>
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

    [Fact]
    public async Task Run_NotStartedBySystemd_NotifiesNothingAndStopsCleanlyOnSigterm()
    {
        // AddSystemd() takes effect only when systemd is the parent process: here a NOTIFY_SOCKET alone must stay silent
        // (the real-systemd test in ImmutableInfra.Packaging.Tests proves READY, STATUS and WATCHDOG).
        using var tree = HostFixtures.VirtioVm();
        var config = _dir.Combine("agent.yaml");
        File.WriteAllText(config, $"coordinatorUrl: https://127.0.0.1:8443\npool: ns/p\nregistrationToken: very-secret-token\nstateDir: {_dir.Combine("state")}\nrootDir: {tree.Root}\n");
        var socketPath = _dir.Combine("notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));

        using var agent = Start(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath, ["WATCHDOG_USEC"] = "200000" }, "run", "--config", config);
        var log = new StringBuilder();
        while (await agent.StandardOutput.ReadLineAsync() is { } line)
        {
            log.AppendLine(line);
            if (line.Contains("Agent ready", StringComparison.Ordinal))
            {
                break;
            }
        }

        using (var kill = Process.Start("kill", ["-TERM", agent.Id.ToString(global::System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        log.Append(await agent.StandardOutput.ReadToEndAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await agent.WaitForExitAsync(timeout.Token);

        Assert.Equal(0, agent.ExitCode);
        Assert.Equal(0, socket.Available);
        Assert.Contains("<6>AgentLifecycle: Agent ready", log.ToString(), StringComparison.Ordinal);
        Assert.Contains("<6>AgentLifecycle: Agent stopping", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret-token", log.ToString(), StringComparison.Ordinal);
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
