namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>A parsed label selector: <c>=</c>, <c>==</c>, <c>!=</c>, <c>in</c>, <c>notin</c>, <c>key</c>, <c>!key</c>.</summary>
internal sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    public static LabelSelector Everything { get; } = new();

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var part in SplitTopLevel(text))
        {
            selector._requirements.Add(ParseRequirement(part.Trim()));
        }

        return selector;
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => _requirements.TrueForAll(r => r(labels));

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string part)
    {
        if (part.Length == 0)
        {
            throw Invalid(part);
        }

        if (part[0] == '!')
        {
            var key = Key(part[1..]);
            return labels => !labels.ContainsKey(key);
        }

        var notIn = part.IndexOf(" notin ", StringComparison.Ordinal);
        var inSet = part.IndexOf(" in ", StringComparison.Ordinal);
        if (notIn > 0 || inSet > 0)
        {
            var split = notIn > 0 ? notIn : inSet;
            var key = Key(part[..split]);
            var rest = part[(split + (notIn > 0 ? 7 : 4))..].Trim();
            if (!rest.StartsWith('(') || !rest.EndsWith(')'))
            {
                throw Invalid(part);
            }

            var values = rest[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            return notIn > 0
                ? labels => !labels.TryGetValue(key, out var v) || !values.Contains(v)
                : labels => labels.TryGetValue(key, out var v) && values.Contains(v);
        }

        var notEquals = part.IndexOf("!=", StringComparison.Ordinal);
        if (notEquals > 0)
        {
            var key = Key(part[..notEquals]);
            var value = part[(notEquals + 2)..].Trim();
            return labels => !labels.TryGetValue(key, out var v) || v != value;
        }

        var equals = part.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0)
        {
            var key = Key(part[..equals]);
            var value = part[(equals + (part.Length > equals + 1 && part[equals + 1] == '=' ? 2 : 1))..].Trim();
            return labels => labels.TryGetValue(key, out var v) && v == value;
        }

        var exists = Key(part);
        return labels => labels.ContainsKey(exists);
    }

    private static string Key(string text)
    {
        var key = text.Trim();
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or ',' or '=' or '!'))
        {
            throw Invalid(text);
        }

        return key;
    }

    // Commas inside "in (a,b)" do not separate requirements.
    private static IEnumerable<string> SplitTopLevel(string text)
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

    private static ApiError Invalid(string part) => ApiError.BadRequest($"unable to parse requirement: \"{part}\"");
}
