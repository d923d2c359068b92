using System.Collections.Concurrent;
using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Agent.Hosting;
using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Simulation;
using ImmutableInfra.Agent.Tests.Inventory.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace ImmutableInfra.Agent.Tests.Hosting;

public sealed class AgentHostedServiceTests
{
    private sealed class RecordingNotifier : ISdNotifier
    {
        public ConcurrentQueue<string> Sent { get; } = new();

        public bool IsEnabled => true;

        public void Notify(string state) => Sent.Enqueue(state);
    }

    /// <summary>A coordination that does nothing until stopped, as a link that keeps retrying.</summary>
    private sealed class IdleCoordination : IAgentCoordination
    {
        public Task RunAsync(CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);
    }

    private static AgentHostedService Service(FixtureTree tree, string stateDir, RecordingNotifier notifier, TimeSpan? watchdog) => new(
        new AgentOptions { CoordinatorUrl = new Uri("https://127.0.0.1:8443"), Pool = "ns/p", StateDir = stateDir },
        new HostInventoryReader(new HostRoot(tree.Root), Substitute.For<INetworkAddressSource>()),
        new IdleCoordination(), notifier, new AgentStatus(notifier), watchdog, TimeProvider.System, NullLogger<AgentHostedService>.Instance);

    private static async Task WaitFor(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    [Fact]
    public async Task Start_ReadsInventoryThenSendsStatusAndReady_AndStopSendsStopping()
    {
        using var tree = HostFixtures.VirtioVm();
        using var state = new TempDirectory();
        var notifier = new RecordingNotifier();
        var service = Service(tree, state.Combine("state"), notifier, watchdog: null);

        await service.StartAsync(CancellationToken.None);
        await WaitFor(() => notifier.Sent.Contains("READY=1"));
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(
            ["STATUS=reading inventory", "STATUS=" + AgentHostedService.ConnectingPhase, "READY=1", "STOPPING=1"],
            notifier.Sent);
        Assert.True(Directory.Exists(state.Combine("state")));
    }

    [Fact]
    public async Task Run_WithWatchdog_PingsRepeatedlyUntilStopped()
    {
        using var tree = HostFixtures.VirtioVm();
        using var state = new TempDirectory();
        var notifier = new RecordingNotifier();
        var service = Service(tree, state.Combine("state"), notifier, TimeSpan.FromMilliseconds(20));

        await service.StartAsync(CancellationToken.None);
        await WaitFor(() => notifier.Sent.Count(s => s == "WATCHDOG=1") >= 3);
        await service.StopAsync(CancellationToken.None);
        var afterStop = notifier.Sent.Count;
        await Task.Delay(100);

        Assert.Equal(afterStop, notifier.Sent.Count);
        Assert.Equal("STOPPING=1", notifier.Sent.Last());
    }
}
