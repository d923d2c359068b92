using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>A typed view of cluster.x-k8s.io/v1beta1 Cluster over the fields the provider reads.</summary>
public sealed class CapiCluster : KubeObject<CapiClusterSpec, CapiClusterStatus>
{
}

/// <summary>Cluster spec fields the provider reads.</summary>
public sealed class CapiClusterSpec
{
    public bool? Paused { get; set; }
    public ApiEndpoint? ControlPlaneEndpoint { get; set; }
    public ObjectReference? ControlPlaneRef { get; set; }
    public ObjectReference? InfrastructureRef { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Cluster status fields the provider reads.</summary>
public sealed class CapiClusterStatus
{
    public string? Phase { get; set; }
    public bool? InfrastructureReady { get; set; }
    public bool? ControlPlaneReady { get; set; }
    public List<Condition>? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A host:port API endpoint (<c>controlPlaneEndpoint</c>).</summary>
public sealed class ApiEndpoint
{
    public string? Host { get; set; }
    public int? Port { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
