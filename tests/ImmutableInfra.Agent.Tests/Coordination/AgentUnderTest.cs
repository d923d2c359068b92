using System.Collections.Concurrent;
using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Agent.Hosting;
using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Simulation;
using ImmutableInfra.Agent.Vip;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using NSubstitute;

namespace ImmutableInfra.Agent.Tests.Coordination;

/// <summary>
/// The real agent host (its services and hosted services) over a fake root and state directory, with commands,
/// systemd and block devices faked and short backoffs; started and stopped by the test, not by signals.
/// </summary>
internal sealed class AgentUnderTest : IAsyncDisposable
{
    private readonly ILoggerFactory _loggers;
    private readonly IHost _host;
    private bool _stopped;

    private AgentUnderTest(ILoggerFactory loggers, IHost host, RecordingNotifier notifier, RecordingLoggerProvider logs)
    {
        _loggers = loggers;
        _host = host;
        Notifier = notifier;
        Logs = logs;
    }

    public RecordingNotifier Notifier { get; }

    public RecordingLoggerProvider Logs { get; }

    public IBlockDeviceWriter BlockDevices => _host.Services.GetRequiredService<IBlockDeviceWriter>();

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

    /// <param name="replace">Registers further fakes over the defaults (the VIP's addresses and Lease API).</param>
    public static async Task<AgentUnderTest> StartAsync(
        TestHost host,
        Uri coordinator,
        ICommandRunner? runner = null,
        string token = FakeCoordinator.Token,
        string? caFile = null,
        CoordinationOptions? coordination = null,
        string pool = FakeCoordinator.Pool,
        VipOptions? vip = null,
        Action<IServiceCollection>? replace = null)
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
        var builder = AgentHost.CreateBuilder(options, coordination ?? FastOptions, vip);
        builder.Services.AddSingleton<IHostLifetime, InProcessLifetime>();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<ISystemdNotifier>(notifier);
        builder.Services.AddSingleton(runner ?? new GatedCommandRunner(host.Root));
        builder.Services.AddSingleton(Substitute.For<ISystemd>());
        builder.Services.AddSingleton(Substitute.For<IBlockDeviceWriter>());
        builder.Services.AddSingleton(Substitute.For<INetworkAddressSource>());
        replace?.Invoke(builder.Services);
        var agent = new AgentUnderTest(loggers, builder.Build(), notifier, logs);
        await agent._host.StartAsync(CancellationToken.None);
        return agent;
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _host.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
        _loggers.Dispose();
    }
}

/// <summary>Records sd_notify datagrams.</summary>
internal sealed class RecordingNotifier : ISystemdNotifier
{
    public ConcurrentQueue<string> Sent { get; } = new();

    public bool IsEnabled => true;

    public string LastStatus => Sent.LastOrDefault(s => s.StartsWith("STATUS=", StringComparison.Ordinal))?["STATUS=".Length..] ?? string.Empty;

    public IEnumerable<string> Statuses => Sent.Where(s => s.StartsWith("STATUS=", StringComparison.Ordinal)).Select(s => s["STATUS=".Length..]);

    public void Notify(ServiceState state) => Sent.Enqueue(state.ToString());
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
