using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Dashboard.Fleet;

/// <summary>
/// The VRRP master changes of each Internal-VIP cluster seen while the dashboard runs. Nothing in the API keeps
/// this history (each host's status has only its own last failover time), so it starts empty at each start.
/// </summary>
internal sealed class VipHistory(TimeProvider time, int perCluster)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedList<Failover>> _byCluster = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Host, DateTimeOffset Since)> _masters = new(StringComparer.Ordinal);

    public IReadOnlyList<Failover> For(string cluster)
    {
        lock (_lock)
        {
            return _byCluster.TryGetValue(cluster, out var list) ? [.. list] : [];
        }
    }

    /// <summary>Records a host becoming VRRP master of its cluster when another (or none) was before.</summary>
    public void Observe(HostView? before, HostView after)
    {
        if (after.Vip is not { Cluster: { Length: > 0 } cluster, VrrpState: VrrpState.Master } vip
            || before?.Vip is { VrrpState: VrrpState.Master } previous && previous.Cluster == cluster)
        {
            return;
        }

        var at = vip.LastFailoverTime ?? time.GetUtcNow();
        lock (_lock)
        {
            var known = _masters.TryGetValue(cluster, out var from);
            _masters[cluster] = (after.Metadata.Name, at);
            if (!known || from.Host == after.Metadata.Name)
            {
                // The first master seen is where the history starts, not a change.
                return;
            }

            if (!_byCluster.TryGetValue(cluster, out var list))
            {
                _byCluster[cluster] = list = new LinkedList<Failover>();
            }

            list.AddFirst(new Failover(at, from.Host, after.Metadata.Name, at - from.Since));
            while (list.Count > perCluster)
            {
                list.RemoveLast();
            }
        }
    }
}

/// <summary>One change of VRRP master: when, from which host, to which, and how long the previous one held it.</summary>
internal sealed record Failover(DateTimeOffset At, string From, string To, TimeSpan PreviousHeld);
