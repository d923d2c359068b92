using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Coordinator.Hosts;

/// <summary>
/// A host's state as a pure function of facts on its object: the claim (set and released by the
/// controllers), the agent's reports (phase, acknowledged generation, bootstrap completion), approval,
/// cordon and whether it has a stream. Every writer derives the state the same way in the same write
/// as the facts, so the state can never disagree with them, whoever wrote last.
/// </summary>
internal static class HostStateMachine
{
    /// <summary>The state the facts on <paramref name="host"/> mean; <paramref name="offline"/> is decided by the caller.</summary>
    public static HostState Derive(MachineInventory host, bool offline)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (offline)
        {
            return HostState.Offline;
        }

        var status = host.Status;
        var claim = status?.Claim;
        var caughtUp = (status?.AcknowledgedGeneration ?? 0) >= (status?.DesiredGeneration ?? 0);
        var phase = caughtUp ? status?.AgentPhase : null;
        if (claim?.MachineRef is not null)
        {
            if (phase == AgentPhases.Failed)
            {
                return HostState.Failed;
            }

            if (claim.Released == true)
            {
                return HostState.Deprovisioning;
            }

            if (phase == AgentPhases.Provisioned && status?.Bootstrap is { Complete: true } b && b.MachineUid == claim.MachineRef.Uid)
            {
                return HostState.Provisioned;
            }

            return phase == AgentPhases.Provisioning ? HostState.Provisioning : HostState.Claimed;
        }

        if (host.Spec?.Approved != true)
        {
            return HostState.Registering;
        }

        if (phase == AgentPhases.Failed)
        {
            return HostState.Failed;
        }

        return host.Spec?.Maintenance == true ? HostState.Maintenance : HostState.Available;
    }

    /// <summary>Whether a released host's reset has ended (done or failed), so its claim can be removed.</summary>
    public static bool ResetEnded(MachineInventory host)
    {
        var status = host.Status;
        if (status?.Claim is not { Released: true })
        {
            return false;
        }

        var caughtUp = (status.AcknowledgedGeneration ?? 0) >= (status.DesiredGeneration ?? 0);
        return caughtUp && (status.AgentPhase == AgentPhases.Idle || status.AgentPhase == AgentPhases.Failed);
    }
}
