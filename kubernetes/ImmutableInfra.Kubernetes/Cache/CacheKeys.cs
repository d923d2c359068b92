using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Cache;

/// <summary>The cache and queue key of an object: <c>namespace/name</c>, or <c>name</c> when cluster-scoped.</summary>
public static class CacheKeys
{
    public static string Of(KubeObject item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Of(item.Metadata.Namespace, item.Metadata.Name ?? string.Empty);
    }

    public static string Of(string? namespaceName, string name) => string.IsNullOrEmpty(namespaceName) ? name : $"{namespaceName}/{name}";

    /// <summary>Splits a key back into namespace (null when cluster-scoped) and name.</summary>
    public static (string? Namespace, string Name) Split(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (null, key) : (key[..slash], key[(slash + 1)..]);
    }
}
