using System.Globalization;
using System.Text;
using ImmutableInfra.Dashboard.Fleet;
using static ImmutableInfra.Dashboard.Web.Html;

namespace ImmutableInfra.Dashboard.Web.Pages;

/// <summary>Pools: hosts per state as a bar with text, which hosts may serve it, and how old its registration token is.</summary>
internal static class PoolsPage
{
    public static PageContent Render(FleetStore store)
    {
        const FleetKinds kinds = FleetKinds.Pools | FleetKinds.Hosts | FleetKinds.Tokens;
        if (Layout.Unavailable(store, "machineinventorypools", "Pools") is { } notice)
        {
            return new PageContent("Pools", "/pools", kinds, string.Empty, notice);
        }

        var now = store.Time.GetUtcNow();
        var counts = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var host in store.Hosts.Values)
        {
            var key = host.Metadata.Namespace + "/" + host.Pool;
            if (!counts.TryGetValue(key, out var byState))
            {
                counts[key] = byState = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            byState[host.State] = byState.GetValueOrDefault(host.State) + 1;
        }

        var pools = store.Pools.Values.OrderBy(p => p.Metadata.Namespace, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<table class=\"pools\"><caption>{pools.Count} pools; host counts are of the hosts registered through each pool</caption><thead><tr>");
        sb.Append("<th scope=\"col\">Pool</th><th scope=\"col\">Namespace</th><th scope=\"col\">Hosts</th><th scope=\"col\">Hosts by state</th><th scope=\"col\">Eligible hosts</th><th scope=\"col\">Approval</th><th scope=\"col\">Token age</th><th scope=\"col\">Conditions</th></tr></thead><tbody>");
        foreach (var pool in pools)
        {
            var byState = counts.GetValueOrDefault(pool.Key) ?? [];
            var hostsHref = $"/hosts?pool={Url(pool.Metadata.Name)}";
            sb.Append(CultureInfo.InvariantCulture, $"<tr data-key=\"{E(pool.Key)}\"><th scope=\"row\"><a href=\"{hostsHref}\">{E(pool.Metadata.Name)}</a></th><td>{E(pool.Metadata.Namespace)}</td>");
            sb.Append(CultureInfo.InvariantCulture, $"<td>{byState.Values.Sum()}</td><td class=\"by-state\">{StateBar.Render(byState, hostsHref)}</td>");
            if (pool.DecodeError is not null)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<td colspan=\"3\">{Undecodable(pool.DecodeError)}</td><td>—</td></tr>");
                continue;
            }

            sb.Append(CultureInfo.InvariantCulture, $"<td>{E(pool.Eligibility)}</td><td>{(pool.AutoApprove ? "automatic" : "by an operator")}</td>");
            sb.Append(CultureInfo.InvariantCulture, $"<td class=\"token\">{Token(store.TokenOf(pool.Key), pool, now)}</td><td>{Conditions(pool.Conditions)}</td></tr>");
        }

        sb.Append("</tbody></table>");
        return new PageContent("Pools", "/pools", kinds, string.Empty, sb.ToString());
    }

    private static string Token(TokenAge token, PoolView pool, DateTimeOffset now) => token.Access switch
    {
        TokenAccess.Present => $"Secret {E(pool.TokenSecretName)}, written {Time(token.Since, now)}",
        TokenAccess.Missing => $"no Secret {E(pool.TokenSecretName)} yet",
        TokenAccess.NotPermitted => "<span data-access=\"forbidden\">not permitted</span>",
        _ => "unknown yet",
    };
}
