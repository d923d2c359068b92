namespace ImmutableInfra.Coordinator.Caching;

/// <summary>Labels and annotations Cluster API defines and the coordinator reads.</summary>
internal static class ClusterApiLabels
{
    public const string ClusterName = "cluster.x-k8s.io/cluster-name";
    public const string ControlPlane = "cluster.x-k8s.io/control-plane";
    public const string PausedAnnotation = "cluster.x-k8s.io/paused";
}
