using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>core/v1 Event (what <c>kubectl describe</c> shows).</summary>
public sealed class KubeEvent : KubeObject
{
    public ObjectReference? InvolvedObject { get; set; }
    public string? Reason { get; set; }
    public string? Message { get; set; }
    public string? Type { get; set; }
    public int? Count { get; set; }
    public EventSource? Source { get; set; }
    public string? ReportingComponent { get; set; }
    public string? ReportingInstance { get; set; }
    public string? Action { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? FirstTimestamp { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastTimestamp { get; set; }
}

/// <summary>The component and host that reported an <see cref="KubeEvent"/>.</summary>
public sealed class EventSource
{
    public string? Component { get; set; }
    public string? Host { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
