using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>The validation and change detection the real server applies to every object.</summary>
internal static partial class ObjectValidation
{
    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    public static void ValidateName(ResourceType type, string name)
    {
        if (name.Length > 253 || !Subdomain().IsMatch(name))
        {
            throw ApiError.Invalid(type, name, FieldCause.Invalid("metadata.name", $"\"{name}\"", SubdomainMessage));
        }
    }

    /// <summary>True when anything outside metadata (and status, when it is a subresource) changed: generation moves.</summary>
    public static bool SpecChanged(ResourceType type, JsonObject previous, JsonObject next)
    {
        foreach (var key in previous.Select(p => p.Key).Union(next.Select(p => p.Key)))
        {
            if (key is "metadata" or "apiVersion" or "kind" || (key == "status" && type.HasStatus))
            {
                continue;
            }

            if (!JsonNode.DeepEquals(previous[key], next[key]))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
