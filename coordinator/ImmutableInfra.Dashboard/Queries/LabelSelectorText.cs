using System.Text.RegularExpressions;
using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Dashboard.Queries;

/// <summary>
/// Parses kubectl's label selector syntax (<c>rack=a, tier!=db, zone in (x,y), gpu, !spare</c>) into the API's
/// <see cref="LabelSelector"/>, whose matching the provider already uses. The C# Kubernetes client has no parser
/// for it (client-go's lives in apimachinery).
/// </summary>
internal static partial class LabelSelectorText
{
    public static LabelSelector Parse(string text)
    {
        var selector = new LabelSelector { MatchExpressions = [] };
        foreach (var raw in SplitTerms(text))
        {
            var term = raw.Trim();
            if (term.Length == 0)
            {
                continue;
            }

            selector.MatchExpressions.Add(ParseTerm(term));
        }

        return selector;
    }

    private static LabelSelectorRequirement ParseTerm(string term)
    {
        if (SetTerm().Match(term) is { Success: true } set)
        {
            var values = set.Groups["values"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
            return values.Count == 0
                ? throw new FormatException($"label selector term \"{term}\": in/notin needs at least one value")
                : Requirement(set.Groups["key"].Value, set.Groups["op"].Value.Equals("in", StringComparison.OrdinalIgnoreCase) ? LabelSelectorOperator.In : LabelSelectorOperator.NotIn, values);
        }

        if (EqualityTerm().Match(term) is { Success: true } eq)
        {
            var value = eq.Groups["value"].Value.Trim();
            return Requirement(eq.Groups["key"].Value, eq.Groups["op"].Value == "!=" ? LabelSelectorOperator.NotIn : LabelSelectorOperator.In, [value]);
        }

        if (ExistsTerm().Match(term) is { Success: true } exists)
        {
            return Requirement(exists.Groups["key"].Value, exists.Groups["not"].Success ? LabelSelectorOperator.DoesNotExist : LabelSelectorOperator.Exists, null);
        }

        throw new FormatException($"label selector term \"{term}\" is not key, !key, key=value, key!=value, key in (a,b) or key notin (a,b)");
    }

    private static LabelSelectorRequirement Requirement(string key, LabelSelectorOperator op, List<string>? values) =>
        new() { Key = key, Operator = op, Values = values };

    /// <summary>Splits on the commas between terms, not those inside a value list's parentheses.</summary>
    private static IEnumerable<string> SplitTerms(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    // Label keys: an optional DNS prefix and '/', then a name of alphanumerics, '-', '_' and '.'.
    private const string Key = @"(?<key>([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)";

    [GeneratedRegex(@"^" + Key + @"\s+(?<op>in|notin)\s*\((?<values>[^()]*)\)$", RegexOptions.IgnoreCase)]
    private static partial Regex SetTerm();

    [GeneratedRegex(@"^" + Key + @"\s*(?<op>==|=|!=)\s*(?<value>[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?|)$")]
    private static partial Regex EqualityTerm();

    [GeneratedRegex(@"^(?<not>!)?\s*" + Key + "$")]
    private static partial Regex ExistsTerm();
}
