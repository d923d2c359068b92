using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Inventory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>
/// The agent's life as a Type=notify unit: prepares the state directory, reads the inventory,
/// sends READY=1 and STATUS=, pings the watchdog at half its interval, and STOPPING=1 on stop.
/// The Sync loop will run inside ExecuteAsync once the transport exists.
/// </summary>
internal sealed class AgentHostedService(
    AgentOptions options,
    HostInventoryReader inventoryReader,
    ISdNotifier notifier,
    AgentStatus status,
    TimeSpan? watchdogInterval,
    TimeProvider timeProvider,
    ILogger<AgentHostedService> logger) : BackgroundService
{
    public const string IdlePhase = "idle: inventory read, waiting for the coordinator link";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(options.StateDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        status.Set("reading inventory");
        var inventory = inventoryReader.Read();
        HostingLog.InventoryRead(logger, inventory.Disks.Count, inventory.Nics.Count, inventory.Cpu.Threads, inventory.Fingerprint);

        status.Set(IdlePhase);
        notifier.Notify("READY=1");
        HostingLog.Ready(logger, options.CoordinatorUrl, options.Pool, watchdogInterval);
        try
        {
            if (watchdogInterval is not { } interval)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, timeProvider, stoppingToken).ConfigureAwait(false);
                return;
            }

            using var timer = new PeriodicTimer(interval, timeProvider);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                notifier.Notify("WATCHDOG=1");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        HostingLog.Stopping(logger);
        notifier.Notify("STOPPING=1");
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
