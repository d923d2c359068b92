using System.Globalization;
using System.Text;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>Builds the REST paths of a kind: <c>/api/v1/namespaces/ns/secrets/name/status</c>.</summary>
internal static class ResourcePaths
{
    public static string Collection<T>(ResourceDescriptor<T> d, string? namespaceName)
        where T : KubeObject
    {
        var builder = new StringBuilder(d.Group.Length == 0 ? "/api/" : $"/apis/{d.Group}/");
        builder.Append(d.Version);
        if (d.Namespaced && namespaceName is not null)
        {
            builder.Append("/namespaces/").Append(Uri.EscapeDataString(namespaceName));
        }

        return builder.Append('/').Append(d.Plural).ToString();
    }

    public static string Item<T>(ResourceDescriptor<T> d, string? namespaceName, string name, string? subresource = null)
        where T : KubeObject
    {
        if (d.Namespaced && string.IsNullOrEmpty(namespaceName))
        {
            throw new ArgumentException($"{d.Kind} is namespaced: a namespace is required", nameof(namespaceName));
        }

        ArgumentException.ThrowIfNullOrEmpty(name);
        var path = $"{Collection(d, namespaceName)}/{Uri.EscapeDataString(name)}";
        return subresource is null ? path : $"{path}/{subresource}";
    }

    public static string Query(string path, params (string Key, string? Value)[] parameters)
    {
        var builder = new StringBuilder(path);
        var separator = '?';
        foreach (var (key, value) in parameters)
        {
            if (value is null)
            {
                continue;
            }

            builder.Append(separator).Append(key).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return builder.ToString();
    }

    public static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}
