using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>The activity part of STATUS= for a settled phase.</summary>
internal static class ActivityText
{
    public static string For(ObservedState state) => state.Phase switch
    {
        HostPhase.Provisioned => "provisioned",
        HostPhase.Failed => "failed: " + state.FailureReason,
        _ => LinkStatus.Idle,
    };
}
