using System.Globalization;
using System.Text;
using static ImmutableInfra.Dashboard.Web.Html;

namespace ImmutableInfra.Dashboard.Web.Pages;

/// <summary>
/// Counts per host state as a bar with its numbers written out beside it. The bar is SVG (its widths are
/// attributes, which the page's CSP allows, unlike inline styles); the text list carries the meaning.
/// </summary>
internal static class StateBar
{
    /// <summary>The states in life-cycle order, then the states of trouble.</summary>
    public static readonly string[] Order =
        ["Registering", "Available", "Claimed", "Provisioning", "Provisioned", "Deprovisioning", "Maintenance", "Offline", "Failed", "Unknown", "Undecodable"];

    public static string Render(IReadOnlyDictionary<string, int> counts, string hostsHref)
    {
        var total = counts.Values.Sum();
        if (total == 0)
        {
            return "<span>no hosts</span>";
        }

        var present = Order.Where(s => counts.GetValueOrDefault(s) > 0).ToList();
        var label = string.Join(", ", present.Select(s => $"{s} {counts[s]}"));
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<svg class=\"bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{E(label)}\">");
        var x = 0.0;
        foreach (var state in present)
        {
            var width = counts[state] * 100.0 / total;
            sb.Append(CultureInfo.InvariantCulture, $"<rect class=\"seg state-{state.ToLowerInvariant()}\" x=\"{x:0.###}\" y=\"0\" width=\"{width:0.###}\" height=\"10\"><title>{state} {counts[state]}</title></rect>");
            x += width;
        }

        sb.Append("</svg><ul class=\"legend\">");
        foreach (var state in present)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{hostsHref}&amp;state={state}\">{State(state)} {counts[state]}</a></li>");
        }

        return sb.Append("</ul>").ToString();
    }
}
