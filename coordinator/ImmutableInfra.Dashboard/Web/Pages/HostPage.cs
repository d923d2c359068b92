using System.Globalization;
using System.Text;
using ImmutableInfra.Dashboard.Fleet;
using static ImmutableInfra.Dashboard.Web.Html;

namespace ImmutableInfra.Dashboard.Web.Pages;

/// <summary>One host: its inventory, claim, VIP role, disks with wipe progress, conditions and recent events.</summary>
internal static class HostPage
{
    public static PageContent Render(FleetStore store, string ns, string name)
    {
        const FleetKinds kinds = FleetKinds.Hosts | FleetKinds.Events;
        var title = $"Host {name}";
        if (store.Hosts.Get(ns + "/" + name) is not { } host)
        {
            var missing = Layout.Unavailable(store, "machineinventories", "Hosts")
                ?? $"<p class=\"notice\">There is no host {E(ns)}/{E(name)} (it may have been deleted). <a href=\"/hosts\">All hosts</a></p>";
            return new PageContent(title, "/hosts", kinds, string.Empty, missing, 404);
        }

        var now = store.Time.GetUtcNow();
        var sb = new StringBuilder();
        if (host.DecodeError is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<p class=\"notice\">This MachineInventory {Undecodable(host.DecodeError)}. Only its metadata is shown.</p>");
        }

        sb.Append("<section aria-labelledby=\"summary-h\"><h2 id=\"summary-h\">Summary</h2><dl class=\"facts\">");
        Fact(sb, "State", State(host.State) + HostsPage.Progress(host));
        Fact(sb, "Namespace", E(ns));
        Fact(sb, "Pool", host.Pool.Length > 0 ? $"<a href=\"/hosts?pool={Url(host.Pool)}\">{E(host.Pool)}</a>" : "—");
        Fact(sb, "Machine", HostsPage.Claim(host));
        Fact(sb, "Hostname", E(host.Hostname ?? "—"));
        Fact(sb, "Addresses", host.Addresses.Count == 0 ? "—" : string.Join(", ", host.Addresses.Select(E)));
        Fact(sb, "Agent", $"{E(host.AgentVersion ?? "—")}{(host.AgentPhase is { } p ? $", phase {E(p)}" : string.Empty)}");
        Fact(sb, "Last seen", $"{Time(host.LastSeen, now)}{(host.ConnectedTo is { Length: > 0 } c ? $", connected to {E(c)}" : ", no agent stream")}");
        Fact(sb, "Maintenance", host.Maintenance ? "cordoned" : "no");
        Fact(sb, "System", E(host.System ?? "—"));
        Fact(sb, "OS", E(host.Os ?? "—"));
        Fact(sb, "CPU", host.Threads is { } t ? $"{t} threads, {host.Cores} cores, {E(host.CpuModel)}" : "—");
        Fact(sb, "Memory", Format.Bytes(host.MemoryBytes));
        Fact(sb, "Kubernetes", HostsPage.KubernetesVersions(host));
        if (host.Vip is { } vip)
        {
            Fact(sb, "VIP", $"{ClusterRefLink(vip.Cluster)}: VRRP {E(vip.VrrpState?.ToString() ?? "unknown")}, arbiter {E(vip.ArbiterState ?? "unknown")}, Lease holder {E(vip.LeaseHolder ?? "none")}");
        }

        Fact(sb, "Labels", host.Metadata.Labels.Count == 0 ? "none" : string.Join(", ", host.Metadata.Labels.Select(kv => $"<code>{E(kv.Key)}={E(kv.Value)}</code>")));
        sb.Append("</dl></section>");
        Disks(sb, host);
        sb.Append("<section aria-labelledby=\"conditions-h\"><h2 id=\"conditions-h\">Conditions</h2>").Append(ConditionTable("Conditions of " + name, host.Conditions, now)).Append("</section>");
        var events = store.Events.Where(e => e.ObjectName == name && e.ObjectNamespace == ns && e.ObjectKind == "MachineInventory")
            .OrderByDescending(e => e.Last).Take(20).ToList();
        sb.Append("<section aria-labelledby=\"events-h\"><h2 id=\"events-h\">Recent events</h2>").Append(EventsPage.Table("Recent events of " + name, events, now, showObject: false)).Append("</section>");
        return new PageContent(title, "/hosts", kinds, string.Empty, sb.ToString());
    }

    private static void Fact(StringBuilder sb, string term, string html) =>
        sb.Append(CultureInfo.InvariantCulture, $"<div><dt>{term}</dt><dd>{html}</dd></div>");

    private static void Disks(StringBuilder sb, HostView host)
    {
        sb.Append("<section aria-labelledby=\"disks-h\"><h2 id=\"disks-h\">Disks</h2>");
        if (host.Disks.Count == 0)
        {
            sb.Append("<p>No disks reported.</p></section>");
            return;
        }

        sb.Append(CultureInfo.InvariantCulture, $"<table class=\"disks-table\"><caption>{host.Disks.Count} disks of {E(host.Metadata.Name)}</caption><thead><tr><th scope=\"col\">Disk</th><th scope=\"col\">Kind</th><th scope=\"col\">Size</th><th scope=\"col\">Model</th><th scope=\"col\">By-id path</th><th scope=\"col\">Holds OS</th><th scope=\"col\">Wipe</th></tr></thead><tbody>");
        foreach (var d in host.Disks)
        {
            var wipe = d.WipeState is null ? "—" : HostsPage.Wipe(d).Trim() + (d.WipePolicy is { } p ? $" <small>({E(p)})</small>" : string.Empty);
            sb.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{E(d.Name)}</th><td>{E(d.Kind)}</td><td>{Format.Bytes(d.SizeBytes)}</td><td>{E(d.Model ?? "—")}</td><td><code>{E(d.ByIdPath ?? "—")}</code></td><td>{(d.HoldsOs ? "yes" : "no")}</td><td>{wipe}</td></tr>");
        }

        sb.Append("</tbody></table></section>");
    }
}
