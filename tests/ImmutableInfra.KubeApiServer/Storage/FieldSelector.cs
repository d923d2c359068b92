using System.Text.Json.Nodes;

namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>
/// A field selector (=, ==, !=) over the fields the real server indexes: metadata.name and metadata.namespace for
/// every kind, and per kind the few more it supports (Events by involvedObject, reason, type...).
/// </summary>
internal sealed class FieldSelector
{
    private static readonly string[] EventFields =
    [
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion",
        "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type",
    ];

    private readonly List<(string Field, string Value, bool Equal)> _terms = [];

    public static FieldSelector Everything { get; } = new();

    public static FieldSelector Parse(ResourceType type, string? text)
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
            if (!Supported(type, field))
            {
                throw ApiError.BadRequest($"field label not supported: {field}");
            }

            selector._terms.Add((field, value.Trim(), equal));
        }

        return selector;
    }

    public bool Matches(StoredObject item)
    {
        if (_terms.Count == 0)
        {
            return true;
        }

        JsonObject? node = null;
        return _terms.TrueForAll(t => (t.Field switch
        {
            "metadata.name" => item.Name,
            "metadata.namespace" => item.Namespace ?? string.Empty,
            "source" => ValueAt(node ??= item.ToNode(), "source.component"),
            _ => ValueAt(node ??= item.ToNode(), t.Field),
        } == t.Value) == t.Equal);
    }

    private static bool Supported(ResourceType type, string field) => field is "metadata.name" or "metadata.namespace" || (type.Group, type.Plural) switch
    {
        ("", "events") => EventFields.Contains(field),
        ("", "secrets") => field == "type",
        ("", "namespaces") => field == "status.phase",
        ("", "nodes") => field == "spec.unschedulable",
        _ => false,
    };

    private static string ValueAt(JsonObject item, string path)
    {
        JsonNode? node = item;
        foreach (var step in path.Split('.'))
        {
            node = (node as JsonObject)?[step];
        }

        return node is JsonValue value ? value.ToString() : string.Empty;
    }
}
