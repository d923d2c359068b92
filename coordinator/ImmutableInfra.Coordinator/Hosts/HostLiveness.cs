using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.Caching;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Coordinator.Hosts;

/// <summary>Whether a host has had a Sync stream within the grace period, from its object and the replicas' Leases.</summary>
internal sealed class HostLiveness(ResourceCaches caches, TimeSpan grace, TimeProvider time)
{
    public TimeSpan Grace => grace;

    /// <summary>
    /// Whether a replica Lease update only renews a Lease that was alive, for the same holder: the hosts that
    /// replica serves were online before and still are, so none of them needs a look.
    /// </summary>
    public bool IsPlainRenewal(Lease before, Lease after) =>
        before.Spec?.HolderIdentity == after.Spec?.HolderIdentity && ReplicaLeases.IsAlive(before, time.GetUtcNow());

    /// <summary>How long until a replica Lease expires unless renewed; null without a renew time.</summary>
    public TimeSpan? UntilExpiry(Lease lease) =>
        lease.Spec is { RenewTime: { } renewed, LeaseDurationSeconds: { } seconds }
            ? (renewed + TimeSpan.FromSeconds(seconds) - time.GetUtcNow()) is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero
            : null;

    /// <summary>
    /// Offline, or when to look again: a host without a stream is Offline <c>grace</c> after its last
    /// sighting; a host served by a replica whose Lease expired is Offline <c>grace</c> after the last renewal.
    /// </summary>
    public (bool Offline, TimeSpan? RecheckIn) Check(MachineInventory host)
    {
        var now = time.GetUtcNow();
        var status = host.Status;
        DateTimeOffset lastAlive;
        if (status?.ConnectedTo is { Length: > 0 } replica)
        {
            if (ReplicaLeases.IsAlive(caches, caches.CoordinatorNamespace, replica, now, out var lastRenew))
            {
                return (false, null);
            }

            lastAlive = lastRenew == DateTimeOffset.MinValue ? status.LastSeen ?? now : lastRenew;
        }
        else
        {
            lastAlive = status?.LastSeen ?? host.Metadata.CreationTimestamp ?? now;
        }

        var silentFor = now - lastAlive;
        return silentFor >= grace ? (true, null) : (false, grace - silentFor + TimeSpan.FromMilliseconds(50));
    }
}
