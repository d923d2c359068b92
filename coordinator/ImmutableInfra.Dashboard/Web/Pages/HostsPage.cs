using System.Globalization;
using System.Text;
using ImmutableInfra.Dashboard.Fleet;
using ImmutableInfra.Dashboard.Queries;
using static ImmutableInfra.Dashboard.Web.Html;

namespace ImmutableInfra.Dashboard.Web.Pages;

/// <summary>Hosts: filtered, sorted and paged on the server, so a page holds at most one page of rows at any fleet size.</summary>
internal static class HostsPage
{
    private static readonly (HostSortKey? Key, string Label)[] Columns =
    [
        (HostSortKey.Name, "Host"), (HostSortKey.Pool, "Pool"), (HostSortKey.State, "State"), (HostSortKey.Machine, "Machine"),
        (HostSortKey.Cpu, "CPU"), (HostSortKey.Memory, "Memory"), (null, "Disks"), (null, "Addresses"), (null, "Agent"),
        (null, "Kubernetes"), (HostSortKey.LastSeen, "Last seen"), (null, "Conditions"),
    ];

    private static readonly int[] PageSizes = [25, 50, 100, 200];

    public static PageContent Render(FleetStore store, HostQuery query)
    {
        var controls = Filters(store, query);
        if (Layout.Unavailable(store, "machineinventories", "Hosts") is { } notice)
        {
            return new PageContent("Hosts", "/hosts", FleetKinds.Hosts, controls, notice);
        }

        var page = query.Run(store.Hosts.Values);
        var now = store.Time.GetUtcNow();
        var sb = new StringBuilder(page.Items.Count * 1500);
        if (page.SelectorError is { } error)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<p class=\"notice\" id=\"labels-error\" role=\"alert\">Label selector not applied: {E(error)}</p>");
        }

        var summary = $"{page.Matched} of {store.Hosts.Count} hosts match; page {page.Page} of {page.Pages}";
        sb.Append(CultureInfo.InvariantCulture, $"<p id=\"host-summary\" data-matched=\"{page.Matched}\">{summary}</p>");
        sb.Append(Pager(query, page));
        sb.Append(CultureInfo.InvariantCulture, $"<table class=\"hosts\"><caption>Hosts: {E(summary)}</caption><thead><tr>");
        foreach (var (key, label) in Columns)
        {
            sb.Append(SortHeader(query, key, label));
        }

        sb.Append("</tr></thead><tbody>");
        foreach (var host in page.Items)
        {
            Row(sb, host, now);
        }

        sb.Append("</tbody></table>").Append(Pager(query, page));
        return new PageContent("Hosts", "/hosts", FleetKinds.Hosts, controls, sb.ToString());
    }

    private static void Row(StringBuilder sb, HostView host, DateTimeOffset now)
    {
        var ns = host.Metadata.Namespace;
        sb.Append(CultureInfo.InvariantCulture, $"<tr data-key=\"{E(host.Key)}\" data-state=\"{E(host.State)}\"><th scope=\"row\"><a href=\"/hosts/{Url(ns)}/{Url(host.Metadata.Name)}\" data-focus-key=\"{E(host.Key)}\">{E(host.Metadata.Name)}</a>");
        if (host.Hostname is { Length: > 0 } hostname && hostname != host.Metadata.Name)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<br><small>{E(hostname)}</small>");
        }

        sb.Append("</th>");
        if (host.DecodeError is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<td>—</td><td>{State(host.State)}</td><td colspan=\"{Columns.Length - 3}\">{Undecodable(host.DecodeError)}</td></tr>");
            return;
        }

        sb.Append(CultureInfo.InvariantCulture, $"<td>{(host.Pool.Length > 0 ? $"<a href=\"/hosts?pool={Url(host.Pool)}\">{E(host.Pool)}</a>" : "—")}</td>");
        sb.Append(CultureInfo.InvariantCulture, $"<td class=\"state-cell\">{State(host.State)}{Progress(host)}</td>");
        sb.Append(CultureInfo.InvariantCulture, $"<td>{Claim(host)}</td>");
        sb.Append(CultureInfo.InvariantCulture, $"<td>{(host.Threads is { } t ? $"{t} threads" : "—")}{(host.Cores is { } c ? $"<br><small>{c} cores</small>" : string.Empty)}</td>");
        sb.Append(CultureInfo.InvariantCulture, $"<td>{Format.Bytes(host.MemoryBytes)}</td><td>{Disks(host)}</td>");
        sb.Append(CultureInfo.InvariantCulture, $"<td>{(host.Addresses.Count == 0 ? "—" : string.Join("<br>", host.Addresses.Select(E)))}</td>");
        sb.Append(CultureInfo.InvariantCulture, $"<td>{E(host.AgentVersion ?? "—")}</td><td>{KubernetesVersions(host)}</td>");
        sb.Append(CultureInfo.InvariantCulture, $"<td>{Time(host.LastSeen, now)}</td><td>{Conditions(host.Conditions)}</td></tr>");
    }

    public static string Claim(HostView host)
    {
        if (host.MachineName is null)
        {
            return "—";
        }

        var role = host.ControlPlane ? "control plane" : "worker";
        var released = host.Released ? ", released" : string.Empty;
        return $"{MachineLink(host.MachineNamespace ?? host.Metadata.Namespace, host.MachineName)}<br><small>{role} of {ClusterRefLink(host.Cluster)}{released}</small>";
    }

    /// <summary>What the host is doing now, in words: the bootstrap step, the reset step.</summary>
    public static string Progress(HostView host) => host.State switch
    {
        "Provisioning" when host.BootstrapStep is { } step => $"<br><small>step {E(step)}</small>",
        "Deprovisioning" when host.WipeStep is { } step => $"<br><small>reset: {E(step)}</small>",
        "Failed" when host.FailureReason is { } why => $"<br><small>{E(why)}</small>",
        _ => string.Empty,
    };

    public static string KubernetesVersions(HostView host) => host.KubernetesVersions is { } k
        ? $"{(k.Active is { } a ? $"active {E(a)}" : "none active")}{(k.Cached.Count > 0 ? $"<br><small>cached {E(string.Join(", ", k.Cached))}</small>" : string.Empty)}"
        : "<small>not reported</small>";

    private static string Disks(HostView host)
    {
        if (host.Disks.Count == 0)
        {
            return "—";
        }

        var sb = new StringBuilder("<ul class=\"disks\">");
        foreach (var d in host.Disks)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<li>{E(d.Name)} {E(d.Kind)} {Format.Bytes(d.SizeBytes)}{(d.HoldsOs ? " (OS)" : string.Empty)}{Wipe(d)}</li>");
        }

        return sb.Append("</ul>").ToString();
    }

    public static string Wipe(DiskView d) => d.WipeState switch
    {
        null => string.Empty,
        "Running" when d.WipePercent is { } p => $" <span class=\"wipe\">wiping <progress max=\"100\" value=\"{p}\" aria-label=\"wipe of {E(d.Name)}\">{p}%</progress> {p}%</span>",
        var state => $" <span class=\"wipe\">wipe {E(state)}{(d.WipeReason is { } r ? ": " + E(r) : string.Empty)}</span>",
    };

    private static string SortHeader(HostQuery query, HostSortKey? key, string label)
    {
        if (key is not { } k)
        {
            return $"<th scope=\"col\">{label}</th>";
        }

        var active = query.Sort == k;
        var descending = active && !query.Descending;
        var aria = active ? $" aria-sort=\"{(query.Descending ? "descending" : "ascending")}\"" : string.Empty;
        var arrow = active ? (query.Descending ? " <span aria-hidden=\"true\">▼</span>" : " <span aria-hidden=\"true\">▲</span>") : string.Empty;
        var href = Href(query with { Sort = k, Descending = descending, Page = 1 });
        return $"<th scope=\"col\"{aria}><a href=\"{href}\">{label}{arrow}<span class=\"visually-hidden\">, sort {(descending ? "descending" : "ascending")}</span></a></th>";
    }

    private static string Pager(HostQuery query, HostResults page)
    {
        if (page.Pages <= 1)
        {
            return string.Empty;
        }

        var sb = new StringBuilder("<nav class=\"pager\" aria-label=\"Pages of hosts\"><ul>");
        Link(sb, "First", 1, page.Page > 1);
        Link(sb, "Previous", page.Page - 1, page.Page > 1);
        sb.Append(CultureInfo.InvariantCulture, $"<li><span aria-current=\"page\">page {page.Page} of {page.Pages}</span></li>");
        Link(sb, "Next", page.Page + 1, page.Page < page.Pages);
        Link(sb, "Last", page.Pages, page.Page < page.Pages);
        return sb.Append("</ul></nav>").ToString();

        void Link(StringBuilder b, string label, int target, bool enabled) =>
            b.Append(enabled ? $"<li><a href=\"{Href(query with { Page = target })}\" rel=\"{(label is "Previous" ? "prev" : label is "Next" ? "next" : "nofollow")}\">{label}</a></li>" : $"<li><span class=\"disabled\">{label}</span></li>");
    }

    public static string Href(HostQuery q)
    {
        var parts = new List<string>();
        Add("pool", q.Pool);
        Add("state", q.State);
        Add("labels", q.Labels);
        Add("q", q.Search);
        Add("sort", q.Sort == HostSortKey.Name ? null : q.Sort.ToString().ToLowerInvariant());
        Add("dir", q.Descending ? "desc" : null);
        Add("page", q.Page > 1 ? q.Page.ToString(CultureInfo.InvariantCulture) : null);
        Add("size", q.PageSize.ToString(CultureInfo.InvariantCulture));
        return "/hosts?" + string.Join("&amp;", parts);

        void Add(string name, string? value)
        {
            if (value is not null)
            {
                parts.Add(name + "=" + Url(value));
            }
        }
    }

    private static string Filters(FleetStore store, HostQuery query)
    {
        var pools = store.Pools.Values.Select(p => p.Metadata.Name).Concat(store.Hosts.Values.Select(h => h.Pool).Distinct())
            .Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(500);
        var sb = new StringBuilder("<form class=\"filters\" method=\"get\" action=\"/hosts\" role=\"search\" aria-label=\"Filter hosts\">");
        sb.Append("<label>Pool <select name=\"pool\" id=\"filter-pool\"><option value=\"\">any</option>");
        foreach (var pool in pools)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<option{(pool == query.Pool ? " selected" : string.Empty)}>{E(pool)}</option>");
        }

        sb.Append("</select></label><label>State <select name=\"state\" id=\"filter-state\"><option value=\"\">any</option>");
        foreach (var state in StateBar.Order)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<option{(state == query.State ? " selected" : string.Empty)}>{state}</option>");
        }

        sb.Append(CultureInfo.InvariantCulture, $"</select></label><label>Labels <input name=\"labels\" id=\"filter-labels\" value=\"{E(query.Labels)}\" placeholder=\"rack=a, zone in (x,y)\" size=\"22\"></label>");
        sb.Append(CultureInfo.InvariantCulture, $"<label>Search <input type=\"search\" name=\"q\" id=\"filter-q\" value=\"{E(query.Search)}\" placeholder=\"name, address, machine\" size=\"22\"></label>");
        sb.Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"sort\" value=\"{query.Sort.ToString().ToLowerInvariant()}\"><input type=\"hidden\" name=\"dir\" value=\"{(query.Descending ? "desc" : "asc")}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<label>Rows <select name=\"size\">{string.Concat(PageSizes.Select(n => $"<option{(n == query.PageSize ? " selected" : string.Empty)}>{n}</option>"))}</select></label>");
        return sb.Append("<button type=\"submit\">Filter</button> <a href=\"/hosts\">Clear</a></form>").ToString();
    }
}
