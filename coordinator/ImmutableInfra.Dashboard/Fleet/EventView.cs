using k8s.Models;

namespace ImmutableInfra.Dashboard.Fleet;

/// <summary>A core/v1 Event as shown: what it is about, why, and when it was last seen.</summary>
internal sealed record EventView(
    string Key,
    string Type,
    string? Reason,
    string? Message,
    string? ObjectKind,
    string? ObjectNamespace,
    string? ObjectName,
    int Count,
    DateTimeOffset? Last,
    string? Source)
{
    public bool IsWarning => Type == "Warning";

    public static EventView From(Corev1Event e)
    {
        var last = e.LastTimestamp ?? e.EventTime ?? e.FirstTimestamp ?? e.Metadata?.CreationTimestamp;
        return new EventView(
            (e.Metadata?.NamespaceProperty ?? string.Empty) + "/" + (e.Metadata?.Name ?? string.Empty),
            e.Type ?? "Normal",
            e.Reason,
            e.Message,
            e.InvolvedObject?.Kind,
            e.InvolvedObject?.NamespaceProperty,
            e.InvolvedObject?.Name,
            e.Count ?? 1,
            last is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null,
            e.Source?.Component ?? e.ReportingComponent);
    }
}
