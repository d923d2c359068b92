using System.Text.Json;
using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Dashboard.Fleet;

/// <summary>A MachineInventoryPool as shown: which hosts it serves and where its registration token lives.</summary>
internal sealed record PoolView(ObjectMetadata Metadata, string? DecodeError)
{
    /// <summary>Which hosts may serve the pool, in words (names, selector, or its own registrations).</summary>
    public string Eligibility { get; init; } = string.Empty;

    public bool AutoApprove { get; init; }
    public string TokenSecretName { get; init; } = string.Empty;
    public string? WipePolicy { get; init; }
    public IReadOnlyList<ConditionView> Conditions { get; init; } = [];

    public string Key => Metadata.Key;

    public static PoolView Decode(JsonElement item)
    {
        var meta = ObjectMetadata.Read(item);
        var pool = ObjectDecoding.Decode(item, ApiJsonContext.Default.MachineInventoryPool, out var error);
        if (error is not null)
        {
            return new PoolView(meta, error) { TokenSecretName = meta.Name + "-registration" };
        }

        var spec = pool?.Spec;
        return new PoolView(meta, null)
        {
            Eligibility = DescribeEligibility(spec),
            AutoApprove = spec?.Registration?.AutoApprove != false,
            TokenSecretName = spec?.Registration?.TokenSecretRef?.Name is { Length: > 0 } n ? n : meta.Name + "-registration",
            WipePolicy = spec?.Defaults?.WipePolicy?.ToString(),
            Conditions = ConditionView.From(pool?.Status?.Conditions),
        };
    }

    private static string DescribeEligibility(MachineInventoryPoolSpec? spec)
    {
        var parts = new List<string>();
        if (spec?.InventoryNames is { Count: > 0 } names)
        {
            parts.Add($"named hosts ({names.Count})");
        }

        if (spec?.Selector is { } selector)
        {
            var terms = (selector.MatchLabels ?? []).Select(kv => $"{kv.Key}={kv.Value}")
                .Concat((selector.MatchExpressions ?? []).Select(e => $"{e.Key} {e.Operator} ({string.Join(",", e.Values ?? [])})"));
            parts.Add("labels " + string.Join(", ", terms));
        }

        return parts.Count == 0 ? "hosts registered through it" : string.Join(" and ", parts);
    }
}
