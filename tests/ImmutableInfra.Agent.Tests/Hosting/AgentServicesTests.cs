using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Hosting;
using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Tests.Coordination;
using ImmutableInfra.Agent.Tests.Inventory.Fixtures;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace ImmutableInfra.Agent.Tests.Hosting;

/// <summary>The agent's own hosted services: what runs before READY=1, and the watchdog pings.</summary>
public sealed class AgentServicesTests
{
    private static async Task WaitFor(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    [Fact]
    public async Task Lifecycle_BeforeReady_CreatesTheStateDirectoryReadsTheInventoryAndSaysSo()
    {
        using var tree = HostFixtures.VirtioVm();
        using var state = new TempDirectory();
        var notifier = new RecordingNotifier();
        var options = new AgentOptions { CoordinatorUrl = new Uri("https://127.0.0.1:8443"), Pool = "ns/p", StateDir = state.Combine("state") };
        var lifecycle = new AgentLifecycle(
            options, new HostInventoryReader(new HostRoot(tree.Root), Substitute.For<INetworkAddressSource>()), new AgentStatus(notifier),
            new WatchdogService(notifier, TimeProvider.System, interval: null), NullLogger<AgentLifecycle>.Instance);

        await lifecycle.StartingAsync(CancellationToken.None);

        Assert.Equal(["STATUS=reading inventory", "STATUS=" + AgentLifecycle.ConnectingPhase], notifier.Sent);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(options.StateDir));
    }

    [Fact]
    public async Task Watchdog_PingsRepeatedlyUntilStopped()
    {
        var notifier = new RecordingNotifier();
        using var watchdog = new WatchdogService(notifier, TimeProvider.System, TimeSpan.FromMilliseconds(20));

        await watchdog.StartAsync(CancellationToken.None);
        await WaitFor(() => notifier.Sent.Count(s => s == "WATCHDOG=1") >= 3);
        await watchdog.StopAsync(CancellationToken.None);
        var afterStop = notifier.Sent.Count;
        await Task.Delay(100);

        Assert.Equal(afterStop, notifier.Sent.Count);
        Assert.All(notifier.Sent, s => Assert.Equal("WATCHDOG=1", s));
    }

    [Fact]
    public async Task Watchdog_WithoutWatchdogUsec_SendsNothing()
    {
        var notifier = new RecordingNotifier();
        using var watchdog = new WatchdogService(notifier, TimeProvider.System, interval: null);

        await watchdog.StartAsync(CancellationToken.None);
        await watchdog.ExecuteTask!;

        Assert.Empty(notifier.Sent);
    }
}
