using System.Collections.Concurrent;
using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Agent.Hosting;
using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Simulation;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NSubstitute;

namespace ImmutableInfra.Agent.Tests.Coordination;

/// <summary>
/// The real agent object graph (AgentGraph, the hosted service included) over a fake root
/// and state directory, with commands, systemd and block devices faked and short backoffs.
/// </summary>
internal sealed class AgentUnderTest : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly AgentGraph _graph;
    private readonly IHostedService _service;
    private bool _stopped;

    private AgentUnderTest(ILoggerFactory loggers, AgentGraph graph, RecordingNotifier notifier, RecordingLoggerProvider logs)
    {
        _loggers = loggers;
        _graph = graph;
        Notifier = notifier;
        Logs = logs;
        _service = graph.Service;
    }

    public RecordingNotifier Notifier { get; }

    public RecordingLoggerProvider Logs { get; }

    public IBlockDeviceWriter BlockDevices => _graph.BlockDevices;

    public string Status => Notifier.LastStatus;

    public static CoordinationOptions FastOptions { get; } = new()
    {
        HeartbeatInterval = TimeSpan.FromMinutes(1),
        ReconnectBackoffMin = TimeSpan.FromMilliseconds(20),
        ReconnectBackoffMax = TimeSpan.FromMilliseconds(200),
        UnaryCallTimeout = TimeSpan.FromSeconds(2),
        RejectedRegistrationRetry = TimeSpan.FromMinutes(10),
        MinProgressInterval = TimeSpan.Zero,
    };

    public static async Task<AgentUnderTest> StartAsync(
        TestHost host,
        Uri coordinator,
        ICommandRunner? runner = null,
        string token = FakeCoordinator.Token,
        string? caFile = null,
        CoordinationOptions? coordination = null,
        string pool = FakeCoordinator.Pool)
    {
        var options = new AgentOptions
        {
            CoordinatorUrl = coordinator,
            CaFile = caFile,
            Insecure = coordinator.Scheme == Uri.UriSchemeHttp,
            Pool = pool,
            RegistrationToken = token,
            StateDir = host.StateDir,
            RootDir = host.Root,
            Labels = new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = "rack-7" },
        };
        var notifier = new RecordingNotifier();
        var logs = new RecordingLoggerProvider();
        var loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        var seams = new AgentSeams
        {
            Commands = runner ?? new GatedCommandRunner(host.Root),
            Systemd = Substitute.For<ISystemd>(),
            BlockDevices = Substitute.For<IBlockDeviceWriter>(),
            NetworkAddresses = Substitute.For<INetworkAddressSource>(),
            Notifier = notifier,
        };
        var agent = new AgentUnderTest(loggers, new AgentGraph(options, coordination ?? FastOptions, loggers, seams), notifier, logs);
        await agent._service.StartAsync(CancellationToken.None);
        return agent;
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _service.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _graph.Dispose();
        _loggers.Dispose();
    }
}

/// <summary>Records sd_notify datagrams.</summary>
internal sealed class RecordingNotifier : ISdNotifier
{
    public ConcurrentQueue<string> Sent { get; } = new();

    public bool IsEnabled => true;

    public string LastStatus => Sent.LastOrDefault(s => s.StartsWith("STATUS=", StringComparison.Ordinal))?["STATUS=".Length..] ?? string.Empty;

    public IEnumerable<string> Statuses => Sent.Where(s => s.StartsWith("STATUS=", StringComparison.Ordinal)).Select(s => s["STATUS=".Length..]);

    public void Notify(string state) => Sent.Enqueue(state);
}

/// <summary>A host for the agent: a VM-like fixture root and a state directory that outlive one agent process.</summary>
internal sealed class TestHost : IDisposable
{
    private readonly FixtureTree _tree = Inventory.Fixtures.HostFixtures.VirtioVm();
    private readonly TempDirectory _state = new();

    public string Root => _tree.Root;

    public string StateDir => _state.Combine("state");

    public CredentialStore Credentials => new(StateDir);

    public string HostFile(string hostPath) => Path.Combine(Root, hostPath.TrimStart('/'));

    public void Dispose()
    {
        _tree.Dispose();
        _state.Dispose();
    }
}

/// <summary>Polls a condition (loopback tests settle in milliseconds; the bound only stops a broken test hanging).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException("Timed out waiting until " + what);
            }

            await Task.Delay(10);
        }
    }
}
