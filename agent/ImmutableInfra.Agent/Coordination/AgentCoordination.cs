namespace ImmutableInfra.Agent.Coordination;

/// <summary>The coordinator link and the converger, side by side: the stream may drop while an action runs on.</summary>
internal sealed class AgentCoordination(CoordinatorLink link, DesiredStateConverger converger, ObservedStateTracker tracker, LinkStatus status)
    : IAgentCoordination
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        status.SetActivity(ActivityText.For(tracker.Snapshot().State));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var converging = converger.RunAsync(stop.Token);
        var linking = link.RunAsync(stop.Token);

        // Either ending means a fault (or shutdown); stop the other and report the fault.
        await Task.WhenAny(converging, linking).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(converging, linking).ConfigureAwait(false);
    }
}
