using System.Text.RegularExpressions;

namespace ImmutableInfra.Packaging.Tests.Manifests;

/// <summary>clusterctl's variable substitution: <c>${NAME}</c> and <c>${NAME:=default}</c>.</summary>
internal static partial class TemplateVariables
{
    /// <summary>The variables docs/operator-guide.md documents, with example values.</summary>
    public static readonly IReadOnlyDictionary<string, string> Documented = new Dictionary<string, string>
    {
        ["CLUSTER_NAME"] = "prod1",
        ["NAMESPACE"] = "fleet",
        ["KUBERNETES_VERSION"] = "v1.33.1",
        ["CONTROL_PLANE_MACHINE_COUNT"] = "3",
        ["WORKER_MACHINE_COUNT"] = "5",
        ["CONTROL_PLANE_POOL"] = "prod1-control-plane-pool",
        ["WORKER_POOL"] = "prod1-worker-pool",
        ["CONTROL_PLANE_VIP"] = "192.0.2.100",
        ["CONTROL_PLANE_VRID"] = "51",
        ["CONTROL_PLANE_ENDPOINT_HOST"] = "lb.example.internal",
    };

    /// <summary>Every variable a text uses, and whether it has a default.</summary>
    public static IEnumerable<(string Name, bool HasDefault)> Used(string text) =>
        Reference().Matches(text).Select(m => (m.Groups["name"].Value, m.Groups["default"].Success));

    public static string Substitute(string text, IReadOnlyDictionary<string, string> values) =>
        Reference().Replace(text, m => values.TryGetValue(m.Groups["name"].Value, out var value)
            ? value
            : m.Groups["default"].Success ? m.Groups["default"].Value : m.Value);

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(:=(?<default>[^}]*))?\}")]
    private static partial Regex Reference();
}
