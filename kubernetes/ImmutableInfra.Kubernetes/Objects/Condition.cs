using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>A status condition as used by Kubernetes and Cluster API objects.</summary>
public sealed class Condition
{
    public string? Type { get; set; }
    public string? Status { get; set; }
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public string? Severity { get; set; }
    public long? ObservedGeneration { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastTransitionTime { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
