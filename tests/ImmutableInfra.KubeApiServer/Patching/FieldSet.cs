using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer.Storage;

namespace ImmutableInfra.KubeApiServer.Patching;

/// <summary>
/// The fields of an object as server-side apply counts them, in fieldsV1 segments (<c>f:spec</c>, <c>k:{"name":"a"}</c>,
/// <c>v:"x"</c>): leaves, atomic lists, and the items of keyed lists (by the CRD's x-kubernetes-list-map-keys or the
/// built-in kinds' merge keys). metadata counts only labels, annotations, finalizers and ownerReferences.
/// </summary>
internal static class FieldSet
{
    private const char Separator = '\u0001';

    public static HashSet<string> Of(ResourceType type, JsonObject item, bool includeStatus)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in item)
        {
            if (name is "apiVersion" or "kind" || (name == "status" && type.HasStatus && !includeStatus) || (includeStatus && name != "status"))
            {
                continue;
            }

            if (name == "metadata")
            {
                foreach (var field in new[] { "labels", "annotations", "finalizers", "ownerReferences" })
                {
                    if ((value as JsonObject)?[field] is { } child)
                    {
                        Collect(type, child, $"f:metadata{Separator}f:{field}", $"metadata.{field}", set);
                    }
                }

                continue;
            }

            Collect(type, value, $"f:{name}", name, set);
        }

        return set;
    }

    /// <summary>The fieldsV1 tree of a set: nested objects, <c>{}</c> leaves, <c>"."</c> for keyed list items.</summary>
    public static JsonObject ToFieldsV1(IEnumerable<string> paths)
    {
        var root = new JsonObject();
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            var node = root;
            foreach (var segment in path.Split(Separator))
            {
                if (node[segment] is not JsonObject next)
                {
                    next = [];
                    node[segment] = next;
                }

                node = next;
            }
        }

        return root;
    }

    /// <summary>The set a fieldsV1 tree holds (inverse of <see cref="ToFieldsV1"/>).</summary>
    public static HashSet<string> FromFieldsV1(JsonObject? fields)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        void Walk(JsonObject node, string prefix)
        {
            if (node.Count == 0 && prefix.Length > 0)
            {
                set.Add(prefix);
            }

            foreach (var (segment, child) in node)
            {
                Walk(child as JsonObject ?? [], prefix.Length == 0 ? segment : prefix + Separator + segment);
            }
        }

        if (fields is not null)
        {
            Walk(fields, string.Empty);
        }

        return set;
    }

    /// <summary>The path as a client reads it in a conflict: <c>.spec.template.spec.containers[name="a"].image</c>.</summary>
    public static string Describe(string path)
    {
        var text = new System.Text.StringBuilder();
        foreach (var segment in path.Split(Separator))
        {
            if (segment == ".")
            {
                continue;
            }

            text.Append(segment[..2] switch
            {
                "f:" => "." + segment[2..],
                "k:" => "[" + string.Join(",", (JsonNode.Parse(segment[2..]) as JsonObject ?? []).Select(p => $"{p.Key}={p.Value?.ToJsonString()}")) + "]",
                _ => "[=" + segment[2..] + "]",
            });
        }

        return text.ToString();
    }

    /// <summary>The value at a path, or null when the object does not have it.</summary>
    public static JsonNode? Lookup(JsonNode? root, string path)
    {
        var node = root;
        foreach (var segment in path.Split(Separator))
        {
            node = segment switch
            {
                "." => node,
                _ when segment.StartsWith("f:", StringComparison.Ordinal) => (node as JsonObject)?[segment[2..]],
                _ when segment.StartsWith("k:", StringComparison.Ordinal) => (node as JsonArray)?.FirstOrDefault(e => Matches(e, segment)),
                _ => (node as JsonArray)?.FirstOrDefault(e => e?.ToJsonString() == segment[2..]),
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    /// <summary>Removes the value at a path; empty parents are left for the caller's semantics (as the real server leaves them).</summary>
    public static void Remove(JsonNode root, string path)
    {
        var segments = path.Split(Separator).Where(s => s != ".").ToArray();
        if (segments.Length == 0)
        {
            return;
        }

        var parent = Lookup(root, string.Join(Separator, segments[..^1]));
        if (segments.Length == 1)
        {
            parent = root;
        }

        var last = segments[^1];
        switch (parent)
        {
            case JsonObject obj when last.StartsWith("f:", StringComparison.Ordinal):
                obj.Remove(last[2..]);
                break;
            case JsonArray array:
                var element = last.StartsWith("k:", StringComparison.Ordinal)
                    ? array.FirstOrDefault(e => Matches(e, last))
                    : array.FirstOrDefault(e => e?.ToJsonString() == last[2..]);
                if (element is not null)
                {
                    array.Remove(element);
                }

                break;
        }
    }

    /// <summary>The merge key of a keyed list at this field path, or null when the list is atomic.</summary>
    public static IReadOnlyList<string>? ListKeys(ResourceType type, string fieldPath, Schema.StructuralSchema? schema)
    {
        if (schema is { ListType: "map", ListMapKeys.Count: > 0 })
        {
            return schema.ListMapKeys;
        }

        return type.MergeKeys?.GetValueOrDefault(fieldPath) is { } key ? [key] : null;
    }

    private static bool Matches(JsonNode? element, string keySegment) =>
        JsonNode.Parse(keySegment[2..]) is JsonObject key && element is JsonObject entry && key.All(k => JsonNode.DeepEquals(entry[k.Key], k.Value));

    private static void Collect(ResourceType type, JsonNode? value, string path, string fieldPath, HashSet<string> set)
    {
        var schema = SchemaAt(type, fieldPath);
        switch (value)
        {
            case JsonObject obj when obj.Count > 0 && schema?.Type != "string":
                foreach (var (name, child) in obj)
                {
                    Collect(type, child, $"{path}{Separator}f:{name}", $"{fieldPath}.{name}", set);
                }

                break;
            case JsonArray array when ListKeys(type, fieldPath, schema) is { } keys:
                foreach (var element in array.OfType<JsonObject>())
                {
                    var key = new JsonObject(keys.Select(k => KeyValuePair.Create(k, element[k]?.DeepClone())));
                    var itemPath = $"{path}{Separator}k:{key.ToJsonString()}";
                    set.Add($"{itemPath}{Separator}.");
                    foreach (var (name, child) in element)
                    {
                        Collect(type, child, $"{itemPath}{Separator}f:{name}", $"{fieldPath}[].{name}", set);
                    }
                }

                break;
            case JsonArray array when schema?.ListType == "set" || fieldPath == "metadata.finalizers":
                foreach (var element in array)
                {
                    set.Add($"{path}{Separator}v:{element?.ToJsonString()}");
                }

                break;
            default:
                set.Add(path);
                break;
        }
    }

    /// <summary>The schema of a field path (<c>spec.a[].b</c>) in a custom resource, or null.</summary>
    public static Schema.StructuralSchema? SchemaAt(ResourceType type, string fieldPath)
    {
        var schema = type.Schema?.Root;
        foreach (var step in fieldPath.Split('.'))
        {
            if (schema is null)
            {
                return null;
            }

            var name = step.EndsWith("[]", StringComparison.Ordinal) ? step[..^2] : step;
            schema = schema.Property(name);
            if (step.EndsWith("[]", StringComparison.Ordinal))
            {
                schema = schema?.Items;
            }
        }

        return schema;
    }
}
