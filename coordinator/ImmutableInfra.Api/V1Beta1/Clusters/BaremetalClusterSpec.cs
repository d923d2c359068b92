using System.Text.Json;
using System.Text.Json.Serialization;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A workload cluster's control-plane endpoint and its load balancer.</summary>
public sealed class BaremetalClusterSpec
{
    /// <summary>The endpoint Cluster API copies into the Cluster (contract field).</summary>
    public ApiEndpoint? ControlPlaneEndpoint { get; set; }

    public ControlPlaneLoadBalancer? ControlPlaneLoadBalancer { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
