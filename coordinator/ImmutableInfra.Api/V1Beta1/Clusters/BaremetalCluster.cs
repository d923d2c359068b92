using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>The InfraCluster of a workload cluster: its control-plane endpoint and how the endpoint is served.</summary>
public sealed class BaremetalCluster : KubeObject<BaremetalClusterSpec, BaremetalClusterStatus>
{
}
