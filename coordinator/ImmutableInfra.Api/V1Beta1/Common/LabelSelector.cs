using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A metav1.LabelSelector: <c>matchLabels</c> and <c>matchExpressions</c>, all of which must hold.</summary>
public sealed class LabelSelector
{
    public Dictionary<string, string>? MatchLabels { get; set; }
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>
    /// Whether the labels satisfy every term. An empty selector matches everything (Kubernetes semantics);
    /// callers decide what an absent selector means, because for that Kubernetes says "nothing".
    /// </summary>
    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        labels ??= new Dictionary<string, string>();
        if (MatchLabels is not null)
        {
            foreach (var (key, value) in MatchLabels)
            {
                if (!labels.TryGetValue(key, out var actual) || actual != value)
                {
                    return false;
                }
            }
        }

        return MatchExpressions is null || MatchExpressions.TrueForAll(requirement => requirement.Matches(labels));
    }
}
