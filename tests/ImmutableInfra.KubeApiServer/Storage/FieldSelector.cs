namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>A field selector over <c>metadata.name</c> and <c>metadata.namespace</c> (=, ==, !=).</summary>
internal sealed class FieldSelector
{
    private readonly List<(string Field, string Value, bool Equal)> _terms = [];

    public static FieldSelector Parse(string? text)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var notEquals = part.IndexOf("!=", StringComparison.Ordinal);
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            (string field, string value, bool equal) = notEquals > 0
                ? (part[..notEquals], part[(notEquals + 2)..], false)
                : equals > 0 ? (part[..equals], part[(equals + (part.Length > equals + 1 && part[equals + 1] == '=' ? 2 : 1))..], true)
                : throw ApiError.BadRequest($"invalid selector: '{part}'; can't understand '{part}'");
            field = field.Trim();
            if (field is not ("metadata.name" or "metadata.namespace"))
            {
                throw ApiError.BadRequest($"field label not supported: {field}");
            }

            selector._terms.Add((field, value.Trim(), equal));
        }

        return selector;
    }

    public bool Matches(StoredObject item) => _terms.TrueForAll(t =>
        ((t.Field == "metadata.name" ? item.Name : item.Namespace ?? string.Empty) == t.Value) == t.Equal);
}
