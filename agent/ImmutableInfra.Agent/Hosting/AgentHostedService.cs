using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Agent.Inventory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>
/// The agent's life as a Type=notify unit: prepares the state directory, reads the inventory,
/// sends READY=1 once configured (the coordinator link then connects or retries on its own), runs
/// the coordination, pings the watchdog at half its interval, and sends STOPPING=1 on stop.
/// </summary>
/// <remarks>
/// On SIGTERM the stopping token cancels the stream and any running action. State files are written
/// synchronously and atomically (temp file, fsync, rename), so a write in flight always completes.
/// </remarks>
internal sealed class AgentHostedService(
    AgentOptions options,
    HostInventoryReader inventoryReader,
    IAgentCoordination coordination,
    ISdNotifier notifier,
    AgentStatus status,
    TimeSpan? watchdogInterval,
    TimeProvider timeProvider,
    ILogger<AgentHostedService> logger) : BackgroundService
{
    public const string ConnectingPhase = "connecting to the coordinator";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(options.StateDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        status.Set("reading inventory");
        var inventory = inventoryReader.Read();
        HostingLog.InventoryRead(logger, inventory.Disks.Count, inventory.Nics.Count, inventory.Cpu.Threads, inventory.Fingerprint);

        status.Set(ConnectingPhase);
        notifier.Notify("READY=1");
        HostingLog.Ready(logger, options.CoordinatorUrl, options.Pool, watchdogInterval);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var watchdog = watchdogInterval is { } interval ? PingWatchdogAsync(interval, stop.Token) : Task.CompletedTask;
        try
        {
            await coordination.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await watchdog.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        HostingLog.Stopping(logger);
        notifier.Notify("STOPPING=1");
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task PingWatchdogAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            notifier.Notify("WATCHDOG=1");
        }
    }
}
