using System.Globalization;
using System.Text;
using ImmutableInfra.Dashboard.Fleet;
using static ImmutableInfra.Dashboard.Web.Html;

namespace ImmutableInfra.Dashboard.Web.Pages;

/// <summary>BaremetalClusters: endpoint, load balancer and VIP, readiness, machines and conditions.</summary>
internal static class ClustersPage
{
    public static PageContent Render(FleetStore store)
    {
        const FleetKinds kinds = FleetKinds.Clusters | FleetKinds.Machines | FleetKinds.Hosts;
        if (Layout.Unavailable(store, "baremetalclusters", "Clusters") is { } notice)
        {
            return new PageContent("Clusters", "/clusters", kinds, string.Empty, notice);
        }

        var now = store.Time.GetUtcNow();
        var machinesByCluster = store.Machines.Values.Where(m => m.Cluster is not null)
            .GroupBy(m => m.Metadata.Namespace + "/" + m.Cluster, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var clusters = store.Clusters.Values.OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<table class=\"clusters\"><caption>{clusters.Count} clusters</caption><thead><tr><th scope=\"col\">Cluster</th><th scope=\"col\">Namespace</th><th scope=\"col\">Endpoint</th><th scope=\"col\">Load balancer</th><th scope=\"col\">Ready</th><th scope=\"col\">Machines</th><th scope=\"col\">Age</th><th scope=\"col\">Conditions</th></tr></thead><tbody>");
        foreach (var c in clusters)
        {
            var ns = c.Metadata.Namespace;
            sb.Append(CultureInfo.InvariantCulture, $"<tr data-key=\"{E(c.Key)}\"><th scope=\"row\">{ClusterLink(ns, c.Metadata.Name)}</th><td>{E(ns)}</td>");
            if (c.DecodeError is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<td colspan=\"6\">{Undecodable(c.DecodeError)}</td></tr>");
                continue;
            }

            var machines = machinesByCluster.GetValueOrDefault(ns + "/" + c.ClusterName) ?? [];
            var phases = string.Join(", ", machines.GroupBy(m => m.Phase).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {E(g.Key)}"));
            sb.Append(CultureInfo.InvariantCulture, $"<td>{E(c.Endpoint ?? "not set")}</td><td>{LoadBalancer(c)}</td><td>{(c.Ready ? "yes" : "no")}</td>");
            sb.Append(CultureInfo.InvariantCulture, $"<td>{(machines.Count == 0 ? "none" : $"<a href=\"/machines?q={Url(c.ClusterName)}\">{machines.Count}</a>: {phases}")}</td><td>{Time(c.Metadata.Created, now)}</td><td>{Conditions(c.Conditions)}</td></tr>");
        }

        sb.Append("</tbody></table>");
        return new PageContent("Clusters", "/clusters", kinds, string.Empty, sb.ToString());
    }

    public static string LoadBalancer(ClusterView c) => c.InternalVip
        ? $"Internal VIP {E(c.Vip)}{(c.Vrid is { } v ? $", vrid {v}" : string.Empty)}"
        : E(c.LoadBalancer);
}
