using System.Globalization;
using System.Text;
using ImmutableInfra.Dashboard.Fleet;
using static ImmutableInfra.Dashboard.Web.Html;

namespace ImmutableInfra.Dashboard.Web.Pages;

/// <summary>Recent Warning events of every namespace, newest first, linked to what they are about.</summary>
internal static class EventsPage
{
    private const int Shown = 200;

    public static PageContent Render(FleetStore store)
    {
        if (Layout.Unavailable(store, "events", "Events") is { } notice)
        {
            return new PageContent("Recent warnings", "/events", FleetKinds.Events, string.Empty, notice);
        }

        var warnings = store.Events.Where(e => e.IsWarning).OrderByDescending(e => e.Last).Take(Shown).ToList();
        return new PageContent("Recent warnings", "/events", FleetKinds.Events, string.Empty,
            Table($"The {warnings.Count} most recent Warning events (at most {Shown})", warnings, store.Time.GetUtcNow(), showObject: true));
    }

    public static string Table(string caption, IReadOnlyList<EventView> events, DateTimeOffset now, bool showObject)
    {
        if (events.Count == 0)
        {
            return $"<p>{E(caption)}: none.</p>";
        }

        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"<table class=\"events\"><caption>{E(caption)}</caption><thead><tr><th scope=\"col\">Last seen</th><th scope=\"col\">Type</th><th scope=\"col\">Reason</th>");
        sb.Append(showObject ? "<th scope=\"col\">Object</th>" : string.Empty).Append("<th scope=\"col\">Message</th><th scope=\"col\">Count</th><th scope=\"col\">Source</th></tr></thead><tbody>");
        foreach (var e in events)
        {
            sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{Time(e.Last, now)}</td><td>{(e.IsWarning ? "<span class=\"cond-bad\">Warning</span>" : E(e.Type))}</td><th scope=\"row\">{E(e.Reason)}</th>");
            if (showObject)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<td>{E(e.ObjectKind)} {ObjectLink(e)}</td>");
            }

            sb.Append(CultureInfo.InvariantCulture, $"<td>{E(e.Message)}</td><td>{e.Count}</td><td>{E(e.Source)}</td></tr>");
        }

        return sb.Append("</tbody></table>").ToString();
    }

    private static string ObjectLink(EventView e) => (e.ObjectKind, e.ObjectNamespace, e.ObjectName) switch
    {
        ("MachineInventory", { } ns, { } name) => HostLink(ns, name),
        ("BaremetalCluster", { } ns, { } name) => ClusterLink(ns, name),
        ("BaremetalMachine", { } ns, { } name) => MachineLink(ns, name),
        (_, var ns, var name) => E(string.IsNullOrEmpty(ns) ? name : ns + "/" + name),
    };
}
