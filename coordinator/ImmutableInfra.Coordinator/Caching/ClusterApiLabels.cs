using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Coordinator.Caching;

/// <summary>Labels, annotations and owner references Cluster API defines and the coordinator reads.</summary>
internal static class ClusterApiLabels
{
    public const string ClusterName = "cluster.x-k8s.io/cluster-name";
    public const string ControlPlane = "cluster.x-k8s.io/control-plane";
    public const string PausedAnnotation = "cluster.x-k8s.io/paused";

    /// <summary>The owner reference to a Cluster API object of <paramref name="kind"/> (any cluster.x-k8s.io version), if any.</summary>
    public static OwnerReference? Owner(KubeObject item, string kind) =>
        item.Metadata.OwnerReferences?.FirstOrDefault(o => o.Kind == kind && o.ApiVersion?.StartsWith("cluster.x-k8s.io/", StringComparison.Ordinal) == true);

    /// <summary>The name of the CAPI Cluster an infrastructure object belongs to: its owner, else its cluster-name label.</summary>
    public static string? OwnerClusterName(KubeObject item) =>
        Owner(item, "Cluster")?.Name ?? item.Metadata.Labels?.GetValueOrDefault(ClusterName);
}
