using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using ImmutableInfra.Dashboard.Fleet;

namespace ImmutableInfra.Dashboard.Web;

/// <summary>Encoding and the small pieces of markup every page repeats. Everything from the API goes through <see cref="E"/>.</summary>
internal static class Html
{
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? string.Empty);

    public static string Url(string? text) => UrlEncoder.Default.Encode(text ?? string.Empty);

    public static string HostLink(string ns, string name) => $"<a href=\"/hosts/{Url(ns)}/{Url(name)}\">{E(name)}</a>";

    public static string ClusterLink(string ns, string name) => $"<a href=\"/clusters/{Url(ns)}/{Url(name)}\">{E(name)}</a>";

    public static string MachineLink(string ns, string name) => $"<a href=\"/machines?q={Url(name)}#machine-{Url(ns)}-{Url(name)}\">{E(name)}</a>";

    /// <summary>A "namespace/name" cluster reference as a link to the BaremetalCluster of the same name.</summary>
    public static string ClusterRefLink(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return "—";
        }

        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? ClusterLink(reference[..slash], reference[(slash + 1)..]) : E(reference);
    }

    /// <summary>A state as text with a class for its colour: the text carries the meaning, the colour only repeats it.</summary>
    public static string State(string state) => $"<span class=\"state state-{E(state.ToLowerInvariant())}\">{E(state)}</span>";

    public static string Time(DateTimeOffset? at, DateTimeOffset now) => at is { } t
        ? $"<time datetime=\"{t.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\" title=\"{t.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC\">{E(Format.Ago(t, now))}</time>"
        : "—";

    /// <summary>Conditions that are not True, with their reasons: what an operator needs to read first.</summary>
    public static string Conditions(IReadOnlyList<ConditionView> conditions)
    {
        if (conditions.Count == 0)
        {
            return "—";
        }

        var bad = conditions.Where(c => !c.IsTrue).ToList();
        if (bad.Count == 0)
        {
            return $"<span class=\"ok\">all {conditions.Count} True</span>";
        }

        var sb = new StringBuilder("<ul class=\"conditions\">");
        foreach (var c in bad)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<li><span class=\"cond-bad\">{E(c.Type)}={E(c.Status)}</span>");
            if (c.Reason is { Length: > 0 })
            {
                sb.Append(CultureInfo.InvariantCulture, $": {E(c.Reason)}");
            }

            if (c.Message is { Length: > 0 })
            {
                sb.Append(CultureInfo.InvariantCulture, $" <span class=\"message\">{E(c.Message)}</span>");
            }

            sb.Append("</li>");
        }

        return sb.Append("</ul>").ToString();
    }

    /// <summary>The full conditions table of one object.</summary>
    public static string ConditionTable(string caption, IReadOnlyList<ConditionView> conditions, DateTimeOffset now)
    {
        if (conditions.Count == 0)
        {
            return $"<p>{E(caption)}: none reported.</p>";
        }

        var sb = new StringBuilder($"<table><caption>{E(caption)}</caption><thead><tr><th scope=\"col\">Type</th><th scope=\"col\">Status</th><th scope=\"col\">Reason</th><th scope=\"col\">Message</th><th scope=\"col\">Since</th></tr></thead><tbody>");
        foreach (var c in conditions)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(c.Type)}</th><td>{(c.IsTrue ? E(c.Status) : $"<span class=\"cond-bad\">{E(c.Status)}</span>")}</td><td>{E(c.Reason)}</td><td>{E(c.Message)}</td><td>{Time(c.Since, now)}</td></tr>");
        }

        return sb.Append("</tbody></table>").ToString();
    }

    /// <summary>The notice an object that did not decode gets in place of its fields.</summary>
    public static string Undecodable(string? error) =>
        $"<span class=\"undecodable\">does not decode: {E(error)}</span>";
}
