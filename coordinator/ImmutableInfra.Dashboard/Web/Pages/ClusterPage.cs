using System.Globalization;
using System.Text;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Dashboard.Fleet;
using static ImmutableInfra.Dashboard.Web.Html;

namespace ImmutableInfra.Dashboard.Web.Pages;

/// <summary>
/// One cluster: its machines and, for an Internal VIP, each control plane's VRRP and arbiter state, the Lease
/// holder as the control planes last read it, and the master changes seen while the dashboard runs.
/// </summary>
internal static class ClusterPage
{
    public static PageContent Render(FleetStore store, string ns, string name, DateTimeOffset dashboardStarted)
    {
        const FleetKinds kinds = FleetKinds.Clusters | FleetKinds.Machines | FleetKinds.Hosts | FleetKinds.Events;
        var title = $"Cluster {name}";
        if (store.Clusters.Get(ns + "/" + name) is not { } cluster)
        {
            var missing = Layout.Unavailable(store, "baremetalclusters", "Clusters")
                ?? $"<p class=\"notice\">There is no BaremetalCluster {E(ns)}/{E(name)} (it may have been deleted). <a href=\"/clusters\">All clusters</a></p>";
            return new PageContent(title, "/clusters", kinds, string.Empty, missing, 404);
        }

        var now = store.Time.GetUtcNow();
        var sb = new StringBuilder();
        if (cluster.DecodeError is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<p class=\"notice\">This BaremetalCluster {Undecodable(cluster.DecodeError)}.</p>");
        }
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $"<dl class=\"facts\"><div><dt>Endpoint</dt><dd>{E(cluster.Endpoint ?? "not set")}</dd></div><div><dt>Load balancer</dt><dd>{ClustersPage.LoadBalancer(cluster)}</dd></div><div><dt>Ready</dt><dd>{(cluster.Ready ? "yes" : "no")}</dd></div></dl>");
            sb.Append(ConditionTable("Conditions of " + name, cluster.Conditions, now));
        }

        var machines = MachinesPage.Filter(store.Machines.Values.Where(m => m.Metadata.Namespace == ns && m.Cluster == cluster.ClusterName), null).ToList();
        sb.Append("<section aria-labelledby=\"machines-h\"><h2 id=\"machines-h\">Machines</h2>").Append(MachinesPage.Table($"{machines.Count} machines of {cluster.ClusterName}", machines, now)).Append("</section>");
        if (cluster.InternalVip)
        {
            Vip(sb, store, cluster, now, dashboardStarted);
        }

        var events = store.Events.Where(e => e.ObjectKind == "BaremetalCluster" && e.ObjectNamespace == ns && e.ObjectName == name).OrderByDescending(e => e.Last).Take(20).ToList();
        sb.Append("<section aria-labelledby=\"cevents-h\"><h2 id=\"cevents-h\">Recent events</h2>").Append(EventsPage.Table("Recent events of " + name, events, now, showObject: false)).Append("</section>");
        return new PageContent(title, "/clusters", kinds, string.Empty, sb.ToString());
    }

    private static void Vip(StringBuilder sb, FleetStore store, ClusterView cluster, DateTimeOffset now, DateTimeOffset started)
    {
        var capiCluster = cluster.Metadata.Namespace + "/" + cluster.ClusterName;
        var controlPlanes = store.Hosts.Values
            .Where(h => h.Vip?.Cluster == cluster.Key || (h.ControlPlane && h.Cluster == capiCluster))
            .OrderBy(h => h.Metadata.Name, StringComparer.Ordinal).ToList();
        var holders = controlPlanes.Select(h => h.Vip?.LeaseHolder).Where(l => !string.IsNullOrEmpty(l)).GroupBy(l => l!, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ToList();
        var masters = controlPlanes.Where(h => h.Vip?.VrrpState == VrrpState.Master).Select(h => h.Metadata.Name).ToList();
        sb.Append("<section aria-labelledby=\"vip-h\"><h2 id=\"vip-h\">Control-plane VIP</h2><dl class=\"facts\">");
        sb.Append(CultureInfo.InvariantCulture, $"<div><dt>VIP</dt><dd>{E(cluster.Vip)} (vrid {cluster.Vrid})</dd></div>");
        sb.Append(CultureInfo.InvariantCulture, $"<div><dt>VRRP master</dt><dd id=\"vip-master\">{(masters.Count switch { 0 => "none reported", 1 => HostLink(cluster.Metadata.Namespace, masters[0]), _ => "<span class=\"cond-bad\">more than one: </span>" + string.Join(", ", masters.Select(m => HostLink(cluster.Metadata.Namespace, m))) })}</dd></div>");
        var holder = holders.Count == 0 ? "not reported" : string.Join("; ", holders.Select(g => $"{E(g.Key)} (as {g.Count()} of {controlPlanes.Count} control planes last read it)"));
        sb.Append(CultureInfo.InvariantCulture, $"<div><dt>Lease holder</dt><dd id=\"vip-lease\">{holder}</dd></div></dl>");
        sb.Append(CultureInfo.InvariantCulture, $"<table class=\"vip\"><caption>VRRP state per control plane of {E(cluster.ClusterName)}</caption><thead><tr><th scope=\"col\">Host</th><th scope=\"col\">VRRP state</th><th scope=\"col\">Arbiter state</th><th scope=\"col\">Lease holder read</th><th scope=\"col\">Lease transitions</th><th scope=\"col\">Last VRRP change</th></tr></thead><tbody>");
        foreach (var h in controlPlanes)
        {
            var v = h.Vip;
            sb.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{HostLink(h.Metadata.Namespace, h.Metadata.Name)}</th><td>{State(v?.VrrpState?.ToString() ?? "Unknown")}</td><td>{E(v?.ArbiterState ?? "—")}</td><td>{E(v?.LeaseHolder ?? "—")}</td><td>{(v?.LeaseTransitions is { } t ? t.ToString(CultureInfo.InvariantCulture) : "—")}</td><td>{Time(v?.LastFailoverTime, now)}</td></tr>");
        }

        sb.Append("</tbody></table>");
        var history = store.VipHistory.For(cluster.Key);
        sb.Append(CultureInfo.InvariantCulture, $"<h3>Failover history</h3><p>The API keeps only each host's last VRRP change; these are the master changes this dashboard saw since it started {Time(started, now)}.</p>");
        if (history.Count == 0)
        {
            sb.Append("<p>None seen yet.</p></section>");
            return;
        }

        sb.Append("<table class=\"failovers\"><caption>VRRP master changes, newest first</caption><thead><tr><th scope=\"col\">When</th><th scope=\"col\">From</th><th scope=\"col\">To</th><th scope=\"col\">Previous master held it for</th></tr></thead><tbody>");
        foreach (var f in history)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{Time(f.At, now)}</td><td>{E(f.From)}</td><th scope=\"row\">{E(f.To)}</th><td>{Format.Span(f.PreviousHeld)}</td></tr>");
        }

        sb.Append("</tbody></table></section>");
    }
}
