using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Coordinator.Hosts;

/// <summary>The agent's reported phase as the string kept in <c>status.agentPhase</c>.</summary>
internal static class AgentPhases
{
    public const string Idle = "Idle";
    public const string Provisioning = "Provisioning";
    public const string Provisioned = "Provisioned";
    public const string Resetting = "Resetting";
    public const string Failed = "Failed";

    public static string? From(HostPhase phase) => phase switch
    {
        HostPhase.Idle => Idle,
        HostPhase.Provisioning => Provisioning,
        HostPhase.Provisioned => Provisioned,
        HostPhase.Resetting => Resetting,
        HostPhase.Failed => Failed,
        _ => null,
    };
}
