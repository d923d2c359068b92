using System.Text.RegularExpressions;

namespace ImmutableInfra.Coordinator.AgentApi;

/// <summary>Kubernetes label key and value syntax (an agent's labels become labels on its host's object).</summary>
internal static partial class LabelSyntax
{
    public static bool IsValidKey(string key)
    {
        var slash = key.LastIndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0)
        {
            var prefix = key[..slash];
            if (prefix.Length is 0 or > 253 || !Prefix().IsMatch(prefix))
            {
                return false;
            }
        }

        return name.Length is > 0 and <= 63 && Name().IsMatch(name);
    }

    public static bool IsValidValue(string value) => value.Length == 0 || (value.Length <= 63 && Name().IsMatch(value));

    [GeneratedRegex("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")]
    private static partial Regex Name();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Prefix();
}

/// <summary>Well-known Kubernetes labels the coordinator reads.</summary>
internal static class WellKnownLabels
{
    /// <summary>A host's failure domain when its record sets none.</summary>
    public const string Zone = "topology.kubernetes.io/zone";
}
