using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>core/v1 Namespace.</summary>
public sealed class KubeNamespace : KubeObject<NamespaceSpec, NamespaceStatus>
{
}

/// <summary>Namespace spec (finalizers only).</summary>
public sealed class NamespaceSpec
{
    public List<string>? Finalizers { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Namespace status (phase: Active or Terminating).</summary>
public sealed class NamespaceStatus
{
    public string? Phase { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
