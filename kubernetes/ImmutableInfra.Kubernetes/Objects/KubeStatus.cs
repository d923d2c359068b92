using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>meta/v1 Status: the body of every API error (and of some successful deletes).</summary>
public sealed class KubeStatus
{
    public string? Kind { get; set; } = "Status";
    public string? ApiVersion { get; set; } = "v1";
    public ListMeta? Metadata { get; set; }
    public string? Status { get; set; }
    public string? Message { get; set; }
    public string? Reason { get; set; }
    public KubeStatusDetails? Details { get; set; }
    public int? Code { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Status details: the object concerned and, for Invalid, the field causes.</summary>
public sealed class KubeStatusDetails
{
    public string? Name { get; set; }
    public string? Group { get; set; }
    public string? Kind { get; set; }
    public string? Uid { get; set; }
    public List<KubeStatusCause>? Causes { get; set; }
    public int? RetryAfterSeconds { get; set; }
}

/// <summary>One cause of a failure: reason, message and the field path at fault.</summary>
public sealed class KubeStatusCause
{
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public string? Field { get; set; }
}
