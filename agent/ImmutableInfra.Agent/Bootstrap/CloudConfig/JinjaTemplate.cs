using System.Text;

namespace ImmutableInfra.Agent.Bootstrap.CloudConfig;

/// <summary>
/// The subset of cloud-init's jinja rendering CAPI user data needs: "{{ name }}" substitution.
/// With the "## template: jinja" header an unknown variable is an error, as it would render wrong.
/// </summary>
/// <remarks>
/// Scanned by hand rather than with a Regex: the NativeAOT agent links no regex code at all, and this one pattern
/// would bring part of it back (docs/benchmarks.md, agent footprint round 5).
/// </remarks>
internal static class JinjaTemplate
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

        StringBuilder? rendered = null;
        var copied = 0;
        var open = text.IndexOf("{{", StringComparison.Ordinal);
        while (open >= 0)
        {
            if (TryReadVariable(text, open, out var name, out var end))
            {
                string replacement;
                if (variables.TryGetValue(name, out var value))
                {
                    replacement = value;
                }
                else if (isTemplate)
                {
                    throw new BootstrapParseException($"cloud-config template: unknown variable '{name}'");
                }
                else
                {
                    replacement = text[open..end];
                }

                rendered ??= new StringBuilder(text.Length);
                rendered.Append(text, copied, open - copied).Append(replacement);
                copied = end;
                open = text.IndexOf("{{", end, StringComparison.Ordinal);
            }
            else
            {
                open = text.IndexOf("{{", open + 1, StringComparison.Ordinal);
            }
        }

        return rendered is null ? text : rendered.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>"{{", optional white space, a name of letters, digits, '_', '.' and '-', optional white space, "}}".</summary>
    private static bool TryReadVariable(string text, int open, out string name, out int end)
    {
        var i = open + 2;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        var nameStart = i;
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.' or '-'))
        {
            i++;
        }

        name = text[nameStart..i];
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        end = i + 2;
        return name.Length > 0 && i + 1 < text.Length && text[i] == '}' && text[i + 1] == '}';
    }
}
