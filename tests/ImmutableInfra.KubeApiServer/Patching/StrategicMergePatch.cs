using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer.Storage;

namespace ImmutableInfra.KubeApiServer.Patching;

/// <summary>
/// Strategic merge patch for the built-in kinds: maps merge, <c>null</c> deletes, lists with a patch merge key
/// (containers by name, ports by containerPort...) merge by item, other lists are replaced; the directives
/// <c>$patch: replace|delete</c>, <c>$retainKeys</c>, <c>$deleteFromPrimitiveList/</c> and
/// <c>$setElementOrder/</c> (kubectl apply sends it; order is kept, not enforced) are understood.
/// </summary>
internal static class StrategicMergePatch
{
    public static JsonObject Apply(ResourceType type, JsonObject target, JsonNode? patch)
    {
        if (type.MergeKeys is null)
        {
            throw new ApiError(System.Net.HttpStatusCode.UnsupportedMediaType, "UnsupportedMediaType",
                "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
        }

        if (patch is not JsonObject patchObject)
        {
            throw ApiError.BadRequest("json: cannot unmarshal array into Go value of type map[string]interface {}");
        }

        var result = target.DeepClone().AsObject();
        MergeObject(type, result, patchObject, string.Empty);
        return result;
    }

    private static void MergeObject(ResourceType type, JsonObject target, JsonObject patch, string path)
    {
        if (patch["$patch"]?.GetValue<string>() == "replace")
        {
            foreach (var key in target.Select(p => p.Key).ToList())
            {
                target.Remove(key);
            }
        }

        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in target.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
            {
                target.Remove(key);
            }
        }

        foreach (var (name, value) in patch)
        {
            if (name is "$patch" or "$retainKeys" || name.StartsWith("$setElementOrder/", StringComparison.Ordinal))
            {
                continue;
            }

            if (name.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var field = name["$deleteFromPrimitiveList/".Length..];
                if (target[field] is JsonArray primitives && value is JsonArray remove)
                {
                    foreach (var element in primitives.Where(e => remove.Any(r => JsonNode.DeepEquals(e, r))).ToList())
                    {
                        primitives.Remove(element);
                    }
                }

                continue;
            }

            var childPath = path.Length == 0 ? name : $"{path}.{name}";
            var current = target[name];
            switch (value)
            {
                case null:
                    target.Remove(name);
                    break;
                case JsonObject child when child["$patch"]?.GetValue<string>() == "delete":
                    target.Remove(name);
                    break;
                case JsonObject child when current is JsonObject existing:
                    MergeObject(type, existing, child, childPath);
                    break;
                case JsonArray list when current is JsonArray live && type.MergeKeys!.GetValueOrDefault(childPath) is { } key:
                    MergeList(type, live, list, key, childPath);
                    break;
                default:
                    target[name] = Clean(value.DeepClone());
                    break;
            }
        }
    }

    private static void MergeList(ResourceType type, JsonArray live, JsonArray patch, string key, string path)
    {
        if (patch.OfType<JsonObject>().Any(e => e["$patch"]?.GetValue<string>() == "replace"))
        {
            live.Clear();
        }

        foreach (var element in patch.OfType<JsonObject>())
        {
            if (element["$patch"]?.GetValue<string>() == "replace")
            {
                continue;
            }

            var match = live.OfType<JsonObject>().FirstOrDefault(e => JsonNode.DeepEquals(e[key], element[key]));
            if (element["$patch"]?.GetValue<string>() == "delete")
            {
                if (match is not null)
                {
                    live.Remove(match);
                }
            }
            else if (match is null)
            {
                live.Add(Clean(element.DeepClone()));
            }
            else
            {
                MergeObject(type, match, element, path + "[]");
            }
        }
    }

    // Directives never reach the stored object.
    private static JsonNode? Clean(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList())
                {
                    obj.Remove(key);
                }

                foreach (var (_, child) in obj)
                {
                    Clean(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Clean(child);
                }

                break;
        }

        return node;
    }
}
