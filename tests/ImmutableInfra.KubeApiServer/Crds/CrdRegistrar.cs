using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer.Storage;

namespace ImmutableInfra.KubeApiServer.Crds;

/// <summary>Turns stored CustomResourceDefinitions into served kinds (served versions, plural, scope, status subresource).</summary>
internal sealed class CrdRegistrar(ResourceTypeRegistry registry, TimeProvider time)
{
    private static readonly ResourceType CrdType = BuiltInTypes.CustomResourceDefinitions;

    public void Admit(JsonObject crd)
    {
        var name = crd["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;
        var spec = crd["spec"] as JsonObject ?? throw ApiError.Invalid(CrdType, name, ("spec", "FieldValueRequired", "Required value"));
        var group = Text(spec["group"]) ?? throw ApiError.Invalid(CrdType, name, ("spec.group", "FieldValueRequired", "Required value"));
        var names = spec["names"] as JsonObject ?? throw ApiError.Invalid(CrdType, name, ("spec.names", "FieldValueRequired", "Required value"));
        var plural = Text(names["plural"]) ?? throw ApiError.Invalid(CrdType, name, ("spec.names.plural", "FieldValueRequired", "Required value"));
        var kind = Text(names["kind"]) ?? throw ApiError.Invalid(CrdType, name, ("spec.names.kind", "FieldValueRequired", "Required value"));
        var scope = Text(spec["scope"]);
        if (scope is not ("Namespaced" or "Cluster"))
        {
            throw ApiError.Invalid(CrdType, name, ("spec.scope", "FieldValueNotSupported", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\""));
        }

        if (name != $"{plural}.{group}")
        {
            throw ApiError.Invalid(CrdType, name, ("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group"));
        }

        var versions = spec["versions"] as JsonArray;
        if (versions is null || versions.Count == 0)
        {
            throw ApiError.Invalid(CrdType, name, ("spec.versions", "FieldValueRequired", "Required value: must have exactly one version marked as storage version"));
        }

        var singular = Text(names["singular"]) ?? kind.ToLowerInvariant();
        registry.UnregisterGroupPlural(group, plural);
        foreach (var version in versions.OfType<JsonObject>())
        {
            if (version["served"]?.GetValue<bool>() != true || Text(version["name"]) is not { } versionName)
            {
                continue;
            }

            var hasStatus = version["subresources"]?["status"] is not null;
            registry.Register(new ResourceType(group, versionName, plural, singular, kind, scope == "Namespaced", hasStatus, IsCustom: true));
        }

        var now = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        crd["status"] = new JsonObject
        {
            ["acceptedNames"] = names.DeepClone(),
            ["storedVersions"] = new JsonArray(versions.OfType<JsonObject>().Where(v => v["storage"]?.GetValue<bool>() == true).Select(v => (JsonNode?)JsonValue.Create(Text(v["name"]))).ToArray()),
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now)),
        };
    }

    public void Unregister(JsonObject crd)
    {
        if (Text(crd["spec"]?["group"]) is { } group && Text(crd["spec"]?["names"]?["plural"]) is { } plural)
        {
            registry.UnregisterGroupPlural(group, plural);
        }
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["reason"] = reason,
        ["message"] = message,
        ["lastTransitionTime"] = now,
    };

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
