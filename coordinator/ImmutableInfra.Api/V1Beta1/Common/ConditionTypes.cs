namespace ImmutableInfra.Api.V1Beta1;

/// <summary>Condition types with a meaning to Cluster API or shared by several of our kinds.</summary>
public static class ConditionTypes
{
    /// <summary>Cluster API mirrors an InfraCluster's or InfraMachine's <c>Ready</c> into the owner's conditions.</summary>
    public const string Ready = "Ready";

    /// <summary>Set while reconciliation is paused (<c>cluster.x-k8s.io/paused</c> or a paused Cluster).</summary>
    public const string Paused = "Paused";
}
