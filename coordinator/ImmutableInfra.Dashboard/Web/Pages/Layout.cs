using System.Globalization;
using System.Text;
using ImmutableInfra.Dashboard.Fleet;
using ImmutableInfra.Dashboard.Kube;
using static ImmutableInfra.Dashboard.Web.Html;

namespace ImmutableInfra.Dashboard.Web.Pages;

/// <summary>The frame of every page: navigation, the live-update status, the API banner and the main landmark.</summary>
internal static class Layout
{
    private static readonly (string Href, string Label)[] Sections =
        [("/pools", "Pools"), ("/hosts", "Hosts"), ("/machines", "Machines"), ("/clusters", "Clusters"), ("/events", "Warnings")];

    public static string Page(PageContent page, FleetStore store, long version)
    {
        var sb = new StringBuilder(4096 + page.Live.Length);
        sb.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title>{E(page.Title)} · baremetal dashboard</title>");
        sb.Append("<link rel=\"icon\" href=\"/assets/favicon.svg\"><link rel=\"stylesheet\" href=\"/assets/dashboard.css\"><script src=\"/assets/dashboard.js\" defer></script></head>");
        sb.Append(CultureInfo.InvariantCulture, $"<body data-kinds=\"{E(KindNames(page.Kinds | FleetKinds.Connection))}\" data-version=\"{version}\">");
        sb.Append("<a class=\"skip\" href=\"#main\">Skip to content</a><header><span class=\"brand\">kubectl baremetal</span><nav aria-label=\"Sections\"><ul>");
        foreach (var (href, label) in Sections)
        {
            var current = page.Section == href ? " aria-current=\"page\"" : string.Empty;
            sb.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{href}\"{current}>{label}</a></li>");
        }

        sb.Append("</ul></nav><span id=\"live-status\" role=\"status\">Live updates: connecting</span></header>");
        sb.Append(CultureInfo.InvariantCulture, $"<main id=\"main\" tabindex=\"-1\"><h1>{E(page.Title)}</h1>{page.Controls}");
        sb.Append("<div id=\"live\">").Append(Live(page, store)).Append("</div></main></body></html>");
        return sb.ToString();
    }

    /// <summary>The swapped part: the API banner, then the page's own live content.</summary>
    public static string Live(PageContent page, FleetStore store) => Banner(store) + page.Live;

    public static string KindNames(FleetKinds kinds) =>
        string.Join(',', Enum.GetValues<FleetKinds>().Where(k => k is not FleetKinds.None and not FleetKinds.All && kinds.HasFlag(k)).Select(k => k.ToString().ToLowerInvariant()));

    /// <summary>"not permitted" or "loading" in place of a table whose resource cannot be shown.</summary>
    public static string? Unavailable(FleetStore store, string resource, string what) => store.Health[resource] switch
    {
        ResourceAccess.Forbidden => $"<p class=\"notice\" data-access=\"forbidden\">{E(what)}: not permitted. Your Kubernetes user may not list {E(resource)}.</p>",
        ResourceAccess.Loading => $"<p class=\"notice\">{E(what)}: loading…</p>",
        _ => null,
    };

    private static string Banner(FleetStore store)
    {
        var (since, error) = store.Health.Connection;
        if (since is null)
        {
            return string.Empty;
        }

        var now = store.Time.GetUtcNow();
        return $"<div class=\"banner\" role=\"alert\" id=\"api-banner\"><strong>The API server cannot be reached</strong> (since {Time(since, now)}: {E(error)}). " +
            "Reconnecting with backoff; what you see is what was last seen.</div>";
    }
}
