using System.Text.Json;
using System.Text.Json.Serialization;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A registrant that presented this host's identity without its credential and waits for an operator.</summary>
public sealed class RekeyRequest
{
    /// <summary>When it was last refused.</summary>
    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? RequestedAt { get; set; }

    /// <summary>Why it needs an operator (the host is claimed, its pool does not auto-approve, its serial differs...).</summary>
    public string? Reason { get; set; }

    /// <summary>The address it came from.</summary>
    public string? Source { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
