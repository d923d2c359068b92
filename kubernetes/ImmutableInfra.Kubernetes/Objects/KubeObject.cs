using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>The part every Kubernetes object shares: apiVersion, kind, metadata and unknown fields.</summary>
public abstract class KubeObject
{
    public string? ApiVersion { get; set; }
    public string? Kind { get; set; }
    public ObjectMeta Metadata { get; set; } = new();

    /// <summary>Top-level fields this model does not know, kept so an update loses nothing.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>An object with a <c>spec</c> and a <c>status</c>: the shape of our CRD kinds and most built-ins.</summary>
public abstract class KubeObject<TSpec, TStatus> : KubeObject
    where TSpec : class
    where TStatus : class
{
    public TSpec? Spec { get; set; }
    public TStatus? Status { get; set; }
}
