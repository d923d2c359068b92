using System.Text.RegularExpressions;

namespace ImmutableInfra.Agent.Bootstrap.CloudConfig;

/// <summary>
/// The subset of cloud-init's jinja rendering CAPI user data needs: "{{ name }}" substitution.
/// With the "## template: jinja" header an unknown variable is an error, as it would render wrong.
/// </summary>
internal static partial class JinjaTemplate
{
    public const string Header = "## template: jinja";

    public static string Render(string text, IReadOnlyDictionary<string, string> variables)
    {
        var isTemplate = text.StartsWith(Header, StringComparison.Ordinal);
        if (isTemplate)
        {
            var newline = text.IndexOf('\n', StringComparison.Ordinal);
            text = newline < 0 ? string.Empty : text[(newline + 1)..];
        }

        return Variable().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            if (variables.TryGetValue(name, out var value))
            {
                return value;
            }

            if (isTemplate)
            {
                throw new BootstrapParseException($"cloud-config template: unknown variable '{name}'");
            }

            return match.Value;
        });
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Variable();
}
