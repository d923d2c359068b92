using ImmutableInfra.Agent.Vip;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>The coordinator link, the converger and the VIP, side by side: the stream may drop while an action runs on.</summary>
internal sealed class AgentCoordination(CoordinatorLink link, DesiredStateConverger converger, ControlPlaneVip vip, ObservedStateTracker tracker, LinkStatus status)
    : IAgentCoordination
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        status.SetActivity(ActivityText.For(tracker.Snapshot().State));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var converging = converger.RunAsync(stop.Token);
        var linking = link.RunAsync(stop.Token);
        // On shutdown it demotes this host and releases the VIP Lease before returning.
        var holdingVip = vip.RunAsync(stop.Token);

        // Any ending means a fault (or shutdown); stop the others and report the fault.
        await Task.WhenAny(converging, linking, holdingVip).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(converging, linking, holdingVip).ConfigureAwait(false);
    }
}
