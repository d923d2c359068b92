using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>
/// WATCHDOG=1 through the library's notifier at half of WATCHDOG_USEC (the library sends READY and STOPPING, no pings).
/// It runs on the thread pool like the agent's work, so a process that is frozen or starved of threads misses its pings.
/// </summary>
internal sealed class WatchdogService(ISystemdNotifier notifier, TimeProvider time, TimeSpan? interval) : BackgroundService
{
    private static readonly ServiceState Ping = new("WATCHDOG=1");

    /// <summary>The ping interval, or null when systemd set no watchdog for this process.</summary>
    public TimeSpan? Interval => interval;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (interval is not { } period || !notifier.IsEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                notifier.Notify(Ping);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }
}
