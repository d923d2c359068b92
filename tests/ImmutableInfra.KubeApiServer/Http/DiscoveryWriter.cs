using System.Text.Json;
using ImmutableInfra.KubeApiServer.Storage;

namespace ImmutableInfra.KubeApiServer.Http;

/// <summary>Discovery documents: /api, /apis, /apis/{group} and the resource lists of each group/version.</summary>
internal static class DiscoveryWriter
{
    public static void ApiVersions(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("kind", "APIVersions");
        json.WriteStartArray("versions");
        json.WriteStringValue("v1");
        json.WriteEndArray();
        json.WriteStartArray("serverAddressByClientCIDRs");
        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void GroupList(Utf8JsonWriter json, IReadOnlyList<ResourceType> types)
    {
        json.WriteStartObject();
        json.WriteString("kind", "APIGroupList");
        json.WriteString("apiVersion", "v1");
        json.WriteStartArray("groups");
        foreach (var group in types.Where(t => t.Group.Length > 0).GroupBy(t => t.Group))
        {
            Group(json, group.Key, group);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static void Group(Utf8JsonWriter json, string group, IEnumerable<ResourceType> types)
    {
        var versions = types.Select(t => t.Version).Distinct().ToList();
        json.WriteStartObject();
        json.WriteString("kind", "APIGroup");
        json.WriteString("apiVersion", "v1");
        json.WriteString("name", group);
        json.WriteStartArray("versions");
        foreach (var version in versions)
        {
            GroupVersion(json, group, version);
        }

        json.WriteEndArray();
        json.WritePropertyName("preferredVersion");
        GroupVersion(json, group, versions[0]);
        json.WriteEndObject();
    }

    public static void ResourceList(Utf8JsonWriter json, string groupVersion, IEnumerable<ResourceType> types)
    {
        json.WriteStartObject();
        json.WriteString("kind", "APIResourceList");
        json.WriteString("apiVersion", "v1");
        json.WriteString("groupVersion", groupVersion);
        json.WriteStartArray("resources");
        foreach (var type in types)
        {
            Resource(json, type.Plural, type, ["create", "delete", "get", "list", "patch", "update", "watch"], main: true);
            if (type.HasStatus)
            {
                Resource(json, $"{type.Plural}/status", type, ["get", "patch", "update"], main: false);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void GroupVersion(Utf8JsonWriter json, string group, string version)
    {
        json.WriteStartObject();
        json.WriteString("groupVersion", $"{group}/{version}");
        json.WriteString("version", version);
        json.WriteEndObject();
    }

    private static void Resource(Utf8JsonWriter json, string name, ResourceType type, string[] verbs, bool main)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("singularName", main ? type.Singular : string.Empty);
        json.WriteBoolean("namespaced", type.Namespaced);
        json.WriteString("kind", type.Kind);
        Strings(json, "verbs", verbs);
        if (main && type.ShortNames.Count > 0)
        {
            Strings(json, "shortNames", type.ShortNames);
        }

        if (main && type.Categories.Count > 0)
        {
            Strings(json, "categories", type.Categories);
        }

        json.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
