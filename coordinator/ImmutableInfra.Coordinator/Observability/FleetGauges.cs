using System.Diagnostics.Metrics;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.Caching;

namespace ImmutableInfra.Coordinator.Observability;

/// <summary>
/// Gauges of the fleet as the watch caches see it, read at scrape time: hosts per pool and state, and the
/// VIP state control-plane agents report (VRRP role per host, Lease holder and transitions, last failover).
/// Only the leader reports them, so summing over replicas does not count a host twice.
/// </summary>
internal sealed class FleetGauges : IDisposable
{
    public const string MeterName = "ImmutableInfra.Coordinator.Fleet";

    private readonly Meter _meter = new(MeterName);

    public FleetGauges(ResourceCaches caches, Func<bool> isLeader)
    {
        IEnumerable<MachineInventory> Hosts() => isLeader() ? caches.HostCache.List() : [];
        IEnumerable<(string Cluster, MachineInventory Host, VipStatus Vip)> Vips() =>
            Hosts().Where(h => h.Status?.Vip is { Cluster.Length: > 0 }).Select(h => (h.Status!.Vip!.Cluster!, h, h.Status.Vip));

        _meter.CreateObservableGauge("immutableinfra.hosts", () => Hosts()
            .GroupBy(h => (h.Metadata.Namespace, Pool: h.Spec?.PoolRef?.Name ?? string.Empty, State: h.Status?.State?.ToApiString() ?? "Unknown"))
            .Select(g => new Measurement<int>(g.Count(), Tag("namespace", g.Key.Namespace), Tag("pool", g.Key.Pool), Tag("state", g.Key.State))),
            description: "Hosts (MachineInventories) per pool and state.");
        _meter.CreateObservableGauge("immutableinfra.vip.vrrp_state", () => Vips()
            .Select(v => new Measurement<int>(1, Tag("cluster", v.Cluster), Tag("host", v.Host.Metadata.Name), Tag("state", v.Vip.VrrpState?.ToString() ?? "Unknown"),
                Tag("arbiter", v.Vip.ArbiterState ?? string.Empty))),
            description: "1 per control-plane host with the VRRP role and arbiter state its agent reports.");
        // The report with the most Lease transitions is the newest view of the Lease.
        _meter.CreateObservableGauge("immutableinfra.vip.lease_transitions", () => Vips()
            .GroupBy(v => v.Cluster)
            .Select(g => g.MaxBy(v => v.Vip.LeaseTransitions ?? -1))
            .Select(v => new Measurement<long>(v.Vip.LeaseTransitions ?? 0, Tag("cluster", v.Cluster), Tag("holder", v.Vip.LeaseHolder ?? string.Empty))),
            description: "Transitions of a cluster's VIP Lease (the fencing token), labelled with its holder.");
        _meter.CreateObservableGauge("immutableinfra.vip.last_failover_timestamp", () => Vips()
            .Where(v => v.Vip.LastFailoverTime is not null)
            .GroupBy(v => v.Cluster)
            .Select(g => new Measurement<double>(g.Max(v => v.Vip.LastFailoverTime!.Value).ToUnixTimeMilliseconds() / 1000.0, Tag("cluster", g.Key))),
            unit: "s", description: "When a control-plane host of the cluster last changed VRRP role (Unix time).");
    }

    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string key, string? value) => new(key, value ?? string.Empty);
}
