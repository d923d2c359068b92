using System.Text.Json.Nodes;

namespace ImmutableInfra.KubeApiServer.Tables;

/// <summary>
/// The JSONPath subset printer columns use: <c>.a.b</c>, <c>.a[0]</c>, <c>.a[*].b</c>, <c>.a['x.y/z']</c> and
/// <c>.a[?(@.k=="v")].b</c>. An unsupported expression refuses the CRD, as an invalid one does in the real server.
/// </summary>
internal sealed class JsonPathExpression
{
    private readonly List<Func<JsonNode?, IEnumerable<JsonNode?>>> _steps = [];

    public static JsonPathExpression Parse(string text)
    {
        var path = new JsonPathExpression();
        var body = text.Trim();
        if (body.StartsWith('{') && body.EndsWith('}'))
        {
            body = body[1..^1];
        }

        var i = 0;
        while (i < body.Length)
        {
            switch (body[i])
            {
                case '.':
                    var end = i + 1;
                    while (end < body.Length && body[end] is not ('.' or '['))
                    {
                        end += body[end] == '\\' ? 2 : 1;
                    }

                    var name = body[(i + 1)..Math.Min(end, body.Length)].Replace("\\.", ".", StringComparison.Ordinal);
                    if (name.Length > 0)
                    {
                        path._steps.Add(node => [(node as JsonObject)?[name]]);
                    }

                    i = end;
                    break;
                case '[':
                    var close = body.IndexOf(']', i);
                    if (close < 0)
                    {
                        throw new FormatException($"unclosed [ in JSONPath {text}");
                    }

                    path._steps.Add(Bracket(body[(i + 1)..close], text));
                    i = close + 1;
                    break;
                default:
                    throw new FormatException($"unexpected '{body[i]}' at {i} in JSONPath {text}");
            }
        }

        return path;
    }

    /// <summary>The first non-null result, or null.</summary>
    public JsonNode? First(JsonNode root)
    {
        IEnumerable<JsonNode?> current = [root];
        foreach (var step in _steps)
        {
            current = current.Where(n => n is not null).SelectMany(step);
        }

        return current.FirstOrDefault(n => n is not null);
    }

    private static Func<JsonNode?, IEnumerable<JsonNode?>> Bracket(string inner, string text)
    {
        if (inner == "*")
        {
            return node => node switch
            {
                JsonArray array => array,
                JsonObject obj => obj.Select(p => p.Value),
                _ => [],
            };
        }

        if (int.TryParse(inner, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var index))
        {
            return node => node is JsonArray array && (index < 0 ? array.Count + index : index) is var at && at >= 0 && at < array.Count ? [array[at]] : [];
        }

        if (inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0])
        {
            var key = inner[1..^1];
            return node => [(node as JsonObject)?[key]];
        }

        if (inner.StartsWith("?(@.", StringComparison.Ordinal) && inner.EndsWith(')'))
        {
            var condition = inner[4..^1];
            var op = condition.IndexOf("==", StringComparison.Ordinal);
            if (op > 0)
            {
                var field = condition[..op].Trim();
                var expected = condition[(op + 2)..].Trim().Trim('"', '\'');
                return node => node is JsonArray array
                    ? array.Where(e => (e as JsonObject)?[field] is JsonValue v && v.ToString() == expected)
                    : [];
            }
        }

        throw new FormatException($"unsupported JSONPath element [{inner}] in {text}");
    }
}
