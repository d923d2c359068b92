using System.Net;
using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer.Storage;

namespace ImmutableInfra.KubeApiServer.Patching;

/// <summary>
/// metadata.managedFields as the real server keeps them: which manager owns which fields, by Apply or Update;
/// server-side apply merges by them, removes what a manager stopped applying and refuses (409) a change to a
/// field another manager owns with another value unless forced.
/// </summary>
internal static class ManagedFields
{
    private sealed record Entry(string Manager, string Operation, string? Subresource, HashSet<string> Fields, string ApiVersion, string Time);

    /// <summary>After a create, update or non-apply patch: the changed fields move to <paramref name="manager"/> (operation Update).</summary>
    public static void RecordUpdate(ResourceType type, JsonObject? previous, JsonObject next, string manager, bool status, string now)
    {
        var entries = Read(previous);
        var before = previous is null ? [] : FieldSet.Of(type, previous, status);
        var after = FieldSet.Of(type, next, status);
        var changed = after.Where(p => previous is null || !before.Contains(p) || !JsonNode.DeepEquals(FieldSet.Lookup(previous, p), FieldSet.Lookup(next, p))).ToHashSet(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => IsSameScope(e, status)))
        {
            entry.Fields.RemoveWhere(p => changed.Contains(p) || !after.Contains(p));
        }

        if (changed.Count > 0)
        {
            var mine = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Update" && IsSameScope(e, status));
            if (mine is null)
            {
                mine = new Entry(manager, "Update", status ? "status" : null, [], type.ApiVersion, now);
                entries.Add(mine);
            }

            mine.Fields.UnionWith(changed);
            entries[entries.IndexOf(mine)] = mine with { Time = now, ApiVersion = type.ApiVersion };
        }

        Write(next, entries);
    }

    /// <summary>
    /// Server-side apply of <paramref name="applied"/> by <paramref name="manager"/> onto <paramref name="live"/> (null:
    /// the object is created). Returns the merged object with its managedFields.
    /// </summary>
    public static JsonObject Apply(ResourceType type, JsonObject? live, JsonObject applied, string manager, bool force, bool status, string now)
    {
        var entries = Read(live);
        var result = live?.DeepClone().AsObject() ?? new JsonObject();
        var appliedFields = FieldSet.Of(type, applied, status);
        var conflicts = new List<(string Manager, string Path)>();
        foreach (var other in entries.Where(e => e.Manager != manager && IsSameScope(e, status)))
        {
            foreach (var path in appliedFields.Where(other.Fields.Contains))
            {
                if (!JsonNode.DeepEquals(FieldSet.Lookup(result, path), FieldSet.Lookup(applied, path)))
                {
                    conflicts.Add((other.Manager, path));
                }
            }
        }

        if (conflicts.Count > 0 && !force)
        {
            throw Conflict(type, applied, conflicts);
        }

        foreach (var (owner, path) in conflicts)
        {
            entries.First(e => e.Manager == owner && IsSameScope(e, status)).Fields.Remove(path);
        }

        // What this manager applied before and applies no more, and nobody else owns, goes away.
        var previous = entries.FirstOrDefault(e => e.Manager == manager && e.Operation == "Apply" && IsSameScope(e, status));
        var mine = new Entry(manager, "Apply", status ? "status" : null, appliedFields, type.ApiVersion, now);
        if (previous is not null)
        {
            foreach (var path in previous.Fields.Where(p => !appliedFields.Contains(p) && !entries.Any(e => e != previous && e.Fields.Contains(p))))
            {
                FieldSet.Remove(result, path);
            }

            // Applying the same fields again keeps the entry as it was, so a no-op apply stays a no-op.
            entries[entries.IndexOf(previous)] = previous.Fields.SetEquals(appliedFields) ? previous : mine;
        }
        else
        {
            entries.Add(mine);
        }

        Merge(type, result, applied, string.Empty);
        foreach (var entry in entries.Where(e => e.Manager != manager))
        {
            entry.Fields.IntersectWith(FieldSet.Of(type, result, status));
        }

        Write(result, entries);
        return result;
    }

    /// <summary>The merge of an applied configuration into the live object: maps by key, keyed lists by item, the rest replaced.</summary>
    private static void Merge(ResourceType type, JsonObject target, JsonObject patch, string fieldPath)
    {
        foreach (var (name, value) in patch)
        {
            var path = fieldPath.Length == 0 ? name : $"{fieldPath}.{name}";
            if (path is "metadata.managedFields" or "metadata.resourceVersion" or "metadata.uid" or "metadata.creationTimestamp" or "metadata.generation")
            {
                continue;
            }

            var current = target[name];
            if (value is JsonObject child && current is JsonObject existing)
            {
                Merge(type, existing, child, path);
            }
            else if (value is JsonArray list && current is JsonArray live && FieldSet.ListKeys(type, path, FieldSet.SchemaAt(type, path)) is { } keys)
            {
                foreach (var element in list.OfType<JsonObject>())
                {
                    var match = live.OfType<JsonObject>().FirstOrDefault(e => keys.All(k => JsonNode.DeepEquals(e[k], element[k])));
                    if (match is null)
                    {
                        live.Add(element.DeepClone());
                    }
                    else
                    {
                        Merge(type, match, element, path + "[]");
                    }
                }
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }

    private static ApiError Conflict(ResourceType type, JsonObject applied, List<(string Manager, string Path)> conflicts)
    {
        var causes = conflicts.Select(c => new FieldCause(FieldSet.Describe(c.Path), "FieldManagerConflict", $"conflict with \"{c.Manager}\" using {type.ApiVersion}")).ToArray();
        var lines = conflicts.Select(c => $"- conflict with \"{c.Manager}\" using {type.ApiVersion}: {FieldSet.Describe(c.Path)}");
        var message = conflicts.Count == 1
            ? $"Apply failed with 1 conflict: conflict with \"{conflicts[0].Manager}\" using {type.ApiVersion}: {FieldSet.Describe(conflicts[0].Path)}"
            : $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
        return new ApiError(HttpStatusCode.Conflict, "Conflict", message, new ApiErrorDetails(applied["metadata"]?["name"]?.GetValue<string>(), type.Group, type.Plural, causes));
    }

    private static bool IsSameScope(Entry entry, bool status) => (entry.Subresource == "status") == status;

    private static List<Entry> Read(JsonObject? item)
    {
        var entries = new List<Entry>();
        if (item?["metadata"]?["managedFields"] is not JsonArray managed)
        {
            return entries;
        }

        foreach (var raw in managed.OfType<JsonObject>())
        {
            entries.Add(new Entry(
                raw["manager"]?.GetValue<string>() ?? string.Empty,
                raw["operation"]?.GetValue<string>() ?? "Update",
                raw["subresource"]?.GetValue<string>(),
                FieldSet.FromFieldsV1(raw["fieldsV1"] as JsonObject),
                raw["apiVersion"]?.GetValue<string>() ?? string.Empty,
                raw["time"]?.GetValue<string>() ?? string.Empty));
        }

        return entries;
    }

    private static void Write(JsonObject item, List<Entry> entries)
    {
        if (item["metadata"] is not JsonObject metadata)
        {
            metadata = [];
            item["metadata"] = metadata;
        }

        var managed = new JsonArray();
        foreach (var entry in entries.Where(e => e.Fields.Count > 0))
        {
            var raw = new JsonObject
            {
                ["manager"] = entry.Manager,
                ["operation"] = entry.Operation,
                ["apiVersion"] = entry.ApiVersion,
                ["time"] = entry.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = FieldSet.ToFieldsV1(entry.Fields),
            };
            if (entry.Subresource is not null)
            {
                raw["subresource"] = entry.Subresource;
            }

            managed.Add(raw);
        }

        metadata.Remove("managedFields");
        if (managed.Count > 0)
        {
            metadata["managedFields"] = managed;
        }
    }
}
