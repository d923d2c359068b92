using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Dashboard.Fleet;

/// <summary>One status condition as shown: type, status, reason and message.</summary>
internal sealed record ConditionView(string Type, string Status, string? Reason, string? Message, DateTimeOffset? Since)
{
    /// <summary>True conditions are the healthy case of every condition type we and Cluster API write.</summary>
    public bool IsTrue => Status == "True";

    public static IReadOnlyList<ConditionView> From(IEnumerable<Condition>? conditions) =>
        conditions?.Select(c => new ConditionView(c.Type ?? "?", c.Status ?? "Unknown", c.Reason, c.Message, c.LastTransitionTime)).ToList() ?? [];
}
