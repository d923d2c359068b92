using System.Globalization;
using System.Text;
using ImmutableInfra.Dashboard.Fleet;
using static ImmutableInfra.Dashboard.Web.Html;

namespace ImmutableInfra.Dashboard.Web.Pages;

/// <summary>BaremetalMachines: phase, conditions with reasons, the cluster and the host each one claimed.</summary>
internal static class MachinesPage
{
    private const int MaxRows = 500;

    public static PageContent Render(FleetStore store, string? search)
    {
        var controls = "<form class=\"filters\" method=\"get\" action=\"/machines\" role=\"search\" aria-label=\"Filter machines\">" +
            $"<label>Search <input type=\"search\" name=\"q\" id=\"filter-machines\" value=\"{E(search)}\" placeholder=\"machine, cluster or host\"></label><button type=\"submit\">Filter</button> <a href=\"/machines\">Clear</a></form>";
        if (Layout.Unavailable(store, "baremetalmachines", "Machines") is { } notice)
        {
            return new PageContent("Machines", "/machines", FleetKinds.Machines, controls, notice);
        }

        var now = store.Time.GetUtcNow();
        var needle = string.IsNullOrWhiteSpace(search) ? null : search.Trim();
        var machines = Filter(store.Machines.Values, needle).ToList();
        var shown = machines.Take(MaxRows).ToList();
        var caption = machines.Count > shown.Count ? $"{shown.Count} of {machines.Count} machines (narrow the search to see the rest)" : $"{machines.Count} machines";
        return new PageContent("Machines", "/machines", FleetKinds.Machines, controls, Table(caption, shown, now));
    }

    public static IEnumerable<MachineView> Filter(IEnumerable<MachineView> machines, string? needle) =>
        machines.Where(m => needle is null
                || m.Metadata.Name.Contains(needle, StringComparison.OrdinalIgnoreCase)
                || (m.Cluster?.Contains(needle, StringComparison.OrdinalIgnoreCase) ?? false)
                || (m.HostName?.Contains(needle, StringComparison.OrdinalIgnoreCase) ?? false))
            .OrderBy(m => m.Metadata.Namespace, StringComparer.Ordinal).ThenBy(m => m.Cluster, StringComparer.Ordinal).ThenBy(m => m.Metadata.Name, StringComparer.Ordinal);

    public static string Table(string caption, IReadOnlyList<MachineView> machines, DateTimeOffset now)
    {
        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<table class=\"machines\"><caption>{E(caption)}</caption><thead><tr><th scope=\"col\">Machine</th><th scope=\"col\">Cluster</th><th scope=\"col\">Role</th><th scope=\"col\">Phase</th><th scope=\"col\">Host</th><th scope=\"col\">Ready</th><th scope=\"col\">Age</th><th scope=\"col\">Conditions</th></tr></thead><tbody>");
        foreach (var m in machines)
        {
            var ns = m.Metadata.Namespace;
            sb.Append(CultureInfo.InvariantCulture, $"<tr id=\"machine-{E(ns)}-{E(m.Metadata.Name)}\" data-key=\"{E(m.Key)}\"><th scope=\"row\">{E(m.Metadata.Name)}</th>");
            if (m.DecodeError is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<td>{E(m.Cluster ?? "—")}</td><td>—</td><td>{State(m.Phase)}</td><td colspan=\"4\">{Undecodable(m.DecodeError)}</td></tr>");
                continue;
            }

            var cluster = m.Cluster is { } c ? ClusterLink(ns, c) : "—";
            var step = m.Phase == "Provisioning" && m.BootstrapStep is { } s ? $"<br><small>step {E(s)}</small>" : string.Empty;
            var host = m.HostName is { } h ? HostLink(ns, h) : "none yet";
            sb.Append(CultureInfo.InvariantCulture, $"<td>{cluster}</td><td>{(m.ControlPlane ? "control plane" : "worker")}</td><td>{State(m.Phase)}{step}</td><td>{host}</td>");
            sb.Append(CultureInfo.InvariantCulture, $"<td>{(m.Ready ? "yes" : "no")}</td><td>{Time(m.Metadata.Created, now)}</td><td>{Conditions(m.Conditions)}</td></tr>");
        }

        return sb.Append("</tbody></table>").ToString();
    }
}
