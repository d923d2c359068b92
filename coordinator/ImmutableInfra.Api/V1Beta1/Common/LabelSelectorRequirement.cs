using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>One <c>matchExpressions</c> term: a key, an operator and (for In/NotIn) values.</summary>
public sealed class LabelSelectorRequirement
{
    public string? Key { get; set; }
    public LabelSelectorOperator? Operator { get; set; }
    public List<string>? Values { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>
    /// Whether the labels satisfy this term. A malformed term (no key, no operator, In/NotIn without
    /// values, Exists/DoesNotExist with values) matches nothing: the API server rejects such terms, and a
    /// selector that slipped past it must not widen a claim to hosts nobody meant.
    /// </summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (string.IsNullOrEmpty(Key) || Operator is null)
        {
            return false;
        }

        var hasValues = Values is { Count: > 0 };
        var present = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            LabelSelectorOperator.In => hasValues && present && Values!.Contains(value!),
            LabelSelectorOperator.NotIn => hasValues && (!present || !Values!.Contains(value!)),
            LabelSelectorOperator.Exists => !hasValues && present,
            LabelSelectorOperator.DoesNotExist => !hasValues && !present,
            _ => false,
        };
    }
}
