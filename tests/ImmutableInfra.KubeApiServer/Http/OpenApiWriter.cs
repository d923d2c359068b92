using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer.Storage;

namespace ImmutableInfra.KubeApiServer.Http;

/// <summary>
/// /openapi/v3 (an index of group/versions, then one document each) and /openapi/v2, built from the CRD schemas
/// and shallow schemas of the built-in kinds: what <c>kubectl explain</c> reads, and the PATCH operations whose
/// <c>fieldValidation</c> parameter tells kubectl to validate on the server.
/// </summary>
internal static class OpenApiWriter
{
    private static readonly string[] WriteParameters = ["dryRun", "fieldManager", "fieldValidation", "force"];

    public static JsonObject Index(IReadOnlyList<ResourceType> types)
    {
        var paths = new JsonObject();
        foreach (var group in types.GroupBy(t => t.GroupVersion).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var key = PathOf(group.First());
            paths[key] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{key}?hash={Hash(GroupVersion(group.ToList()))}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The v3 document of one group/version.</summary>
    public static JsonObject GroupVersion(IReadOnlyList<ResourceType> types)
    {
        var (paths, schemas) = Collect(types, v2: false);
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = VersionInfo.GitVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    public static JsonObject Swagger(IReadOnlyList<ResourceType> types)
    {
        var (paths, definitions) = Collect(types, v2: true);
        return new JsonObject
        {
            ["swagger"] = "2.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = VersionInfo.GitVersion },
            ["paths"] = paths,
            ["definitions"] = definitions,
        };
    }

    public static string PathOf(ResourceType type) => type.Group.Length == 0 ? "api/v1" : $"apis/{type.Group}/{type.Version}";

    public static string Hash(JsonObject document) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())))[..32];

    /// <summary>The component name the real server uses: reversed group, version, kind (<c>io.k8s.api.core.v1.Namespace</c>).</summary>
    public static string SchemaName(ResourceType type)
    {
        var group = type.Group.Length == 0 ? "io.k8s.api.core"
            : type.IsCustom ? string.Join('.', type.Group.Split('.').Reverse())
            : $"io.k8s.api.{type.Group.Split('.')[0]}";
        return $"{group}.{type.Version}.{type.Kind}";
    }

    private static (JsonObject Paths, JsonObject Schemas) Collect(IReadOnlyList<ResourceType> types, bool v2)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var type in types)
        {
            schemas[SchemaName(type)] = SchemaOf(type);
            foreach (var (path, item) in Paths(type, v2))
            {
                paths[path] = item;
            }
        }

        return (paths, schemas);
    }

    private static JsonObject SchemaOf(ResourceType type)
    {
        var schema = type.Schema?.Root.Raw.DeepClone().AsObject() ?? BuiltInSchemas.For(type);
        schema["x-kubernetes-group-version-kind"] = new JsonArray(Gvk(type));
        return schema;
    }

    private static JsonObject Gvk(ResourceType type) => new() { ["group"] = type.Group, ["kind"] = type.Kind, ["version"] = type.Version };

    private static IEnumerable<(string Path, JsonObject Item)> Paths(ResourceType type, bool v2)
    {
        var prefix = type.Group.Length == 0 ? "/api/v1" : $"/apis/{type.Group}/{type.Version}";
        var collection = type.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{type.Plural}" : $"{prefix}/{type.Plural}";
        var reference = v2 ? $"#/definitions/{SchemaName(type)}" : $"#/components/schemas/{SchemaName(type)}";
        yield return (collection, new JsonObject
        {
            ["get"] = Operation(type, "list", reference, [], v2),
            ["post"] = Operation(type, "post", reference, WriteParameters, v2),
        });
        yield return ($"{collection}/{{name}}", new JsonObject
        {
            ["get"] = Operation(type, "get", reference, [], v2),
            ["put"] = Operation(type, "put", reference, WriteParameters, v2),
            ["patch"] = Operation(type, "patch", reference, WriteParameters, v2),
            ["delete"] = Operation(type, "delete", reference, ["dryRun"], v2),
        });
    }

    private static JsonObject Operation(ResourceType type, string action, string reference, string[] parameters, bool v2)
    {
        var list = new JsonArray();
        foreach (var name in parameters)
        {
            list.Add(v2
                ? new JsonObject { ["name"] = name, ["in"] = "query", ["type"] = name == "force" ? "boolean" : "string", ["uniqueItems"] = true }
                : new JsonObject { ["name"] = name, ["in"] = "query", ["schema"] = new JsonObject { ["type"] = name == "force" ? "boolean" : "string", ["uniqueItems"] = true } });
        }

        JsonObject response = v2
            ? new() { ["description"] = "OK", ["schema"] = new JsonObject { ["$ref"] = reference } }
            : new() { ["description"] = "OK", ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = reference } } } };
        return new JsonObject
        {
            ["operationId"] = $"{action}{type.Kind}",
            ["parameters"] = list,
            ["responses"] = new JsonObject { ["200"] = response },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = Gvk(type),
        };
    }
}
