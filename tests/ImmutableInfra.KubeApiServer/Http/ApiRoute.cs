using ImmutableInfra.KubeApiServer.Storage;

namespace ImmutableInfra.KubeApiServer.Http;

/// <summary>A parsed resource URL: kind, namespace, name and subresource.</summary>
internal sealed record ApiRoute(ResourceType Type, string? Namespace, string? Name, string? Subresource)
{
    private static readonly ApiError NotFound = new(System.Net.HttpStatusCode.NotFound, "NotFound", "the server could not find the requested resource");

    /// <summary>Parses the segments after <c>/api/v1</c> or <c>/apis/g/v</c>.</summary>
    public static ApiRoute Parse(ResourceTypeRegistry registry, string group, string version, string[] rest)
    {
        if (rest.Length >= 3 && rest[0] == "namespaces" && registry.Find(group, version, rest[2]) is { Namespaced: true } namespaced)
        {
            return Check(new ApiRoute(namespaced, rest[1], At(rest, 3), At(rest, 4)), rest.Length <= 5);
        }

        var type = registry.Find(group, version, rest[0]) ?? throw NotFound;
        return Check(new ApiRoute(type, null, At(rest, 1), At(rest, 2)), rest.Length <= 3 && (type.Namespaced ? rest.Length == 1 : true));
    }

    private static ApiRoute Check(ApiRoute route, bool ok)
    {
        if (!ok || (route.Subresource is not null && (route.Subresource != "status" || !route.Type.HasStatus)))
        {
            throw NotFound;
        }

        return route;
    }

    private static string? At(string[] parts, int index) => index < parts.Length ? Uri.UnescapeDataString(parts[index]) : null;
}
