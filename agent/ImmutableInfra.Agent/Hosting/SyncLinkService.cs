using ImmutableInfra.Agent.Coordination;
using Microsoft.Extensions.Hosting;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>
/// The coordinator link and the converger, side by side: the Sync stream may drop while an action runs on. On SIGTERM the
/// stopping token cancels the stream and any running action; state files are written atomically, so a write in flight completes.
/// </summary>
internal sealed class SyncLinkService(CoordinatorLink link, DesiredStateConverger converger, ObservedStateTracker tracker, LinkStatus status)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        status.SetActivity(ActivityText.For(tracker.Snapshot().State));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var converging = converger.RunAsync(stop.Token);
        var linking = link.RunAsync(stop.Token);
        try
        {
            // Either ending means a fault (or shutdown): stop the other and report the fault.
            await Task.WhenAny(converging, linking).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(converging, linking).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }
}
