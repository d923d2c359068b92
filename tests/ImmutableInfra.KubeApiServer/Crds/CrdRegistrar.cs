using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer.Schema;
using ImmutableInfra.KubeApiServer.Storage;
using ImmutableInfra.KubeApiServer.Tables;

namespace ImmutableInfra.KubeApiServer.Crds;

/// <summary>Turns stored CustomResourceDefinitions into served kinds (served versions, plural, scope, status subresource).</summary>
internal sealed class CrdRegistrar(ResourceTypeRegistry registry, CelRules cel, TimeProvider time)
{
    private static readonly ResourceType CrdType = BuiltInTypes.CustomResourceDefinitions;

    /// <summary>Checks a CRD and fills its status; registers its kinds unless this is a dry run.</summary>
    public void Admit(JsonObject crd, bool dryRun)
    {
        var name = crd["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;
        var spec = crd["spec"] as JsonObject ?? throw ApiError.Invalid(CrdType, name, FieldCause.Required("spec"));
        var group = Text(spec["group"]) ?? throw ApiError.Invalid(CrdType, name, FieldCause.Required("spec.group"));
        var names = spec["names"] as JsonObject ?? throw ApiError.Invalid(CrdType, name, FieldCause.Required("spec.names"));
        var plural = Text(names["plural"]) ?? throw ApiError.Invalid(CrdType, name, FieldCause.Required("spec.names.plural"));
        var kind = Text(names["kind"]) ?? throw ApiError.Invalid(CrdType, name, FieldCause.Required("spec.names.kind"));
        var scope = Text(spec["scope"]);
        if (scope is not ("Namespaced" or "Cluster"))
        {
            throw ApiError.Invalid(CrdType, name, new FieldCause("spec.scope", "FieldValueNotSupported", $"Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\""));
        }

        if (name != $"{plural}.{group}")
        {
            throw ApiError.Invalid(CrdType, name, FieldCause.Invalid("metadata.name", $"\"{name}\"", "must be spec.names.plural+\".\"+spec.group"));
        }

        var versions = spec["versions"] as JsonArray;
        if (versions is null || versions.Count == 0)
        {
            throw ApiError.Invalid(CrdType, name, FieldCause.Required("spec.versions", "must have exactly one version marked as storage version"));
        }

        var served = Served(spec, group, plural, kind, scope == "Namespaced", names, name);
        if (!dryRun)
        {
            registry.UnregisterGroupPlural(group, plural);
            foreach (var type in served)
            {
                registry.Register(type);
            }
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

    private List<ResourceType> Served(JsonObject spec, string group, string plural, string kind, bool namespaced, JsonObject names, string name)
    {
        var singular = Text(names["singular"]) ?? kind.ToLowerInvariant();
        var shortNames = Strings(names["shortNames"]);
        var categories = Strings(names["categories"]);
        var served = new List<ResourceType>();
        var versions = spec["versions"]!.AsArray();
        for (var i = 0; i < versions.Count; i++)
        {
            if (versions[i] is not JsonObject version || version["served"]?.GetValue<bool>() != true || Text(version["name"]) is not { } versionName)
            {
                continue;
            }

            var path = $"spec.versions[{i}]";
            ObjectSchema? schema = null;
            List<PrinterColumn> columns;
            try
            {
                if (version["schema"]?["openAPIV3Schema"] is JsonObject raw)
                {
                    var structural = StructuralSchema.Parse(raw, $"{path}.schema.openAPIV3Schema");
                    cel.Compile(structural, $"{path}.schema.openAPIV3Schema");
                    schema = new ObjectSchema(structural, cel);
                }

                columns = version["additionalPrinterColumns"] is JsonArray printerColumns
                    ? [PrinterColumn.NameColumn, .. printerColumns.OfType<JsonObject>().Select(PrinterColumn.FromCrd)]
                    : [PrinterColumn.NameColumn, PrinterColumn.Age];
            }
            catch (SchemaException e)
            {
                throw ApiError.Invalid(CrdType, name, new FieldCause(e.Field, "FieldValueInvalid", e.Detail));
            }
            catch (FormatException e)
            {
                throw ApiError.Invalid(CrdType, name, FieldCause.Invalid($"{path}.additionalPrinterColumns", "\"jsonPath\"", e.Message));
            }

            served.Add(new ResourceType(group, versionName, plural, singular, kind, namespaced, version["subresources"]?["status"] is not null, IsCustom: true)
            {
                ShortNames = shortNames,
                Categories = categories,
                Schema = schema,
                Columns = columns,
            });
        }

        return served;
    }

    private static string[] Strings(JsonNode? node) => node is JsonArray array ? [.. array.Select(Text).OfType<string>()] : [];

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
