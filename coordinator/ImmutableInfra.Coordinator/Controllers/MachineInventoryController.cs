using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.Caching;
using ImmutableInfra.Coordinator.Hosts;
using ImmutableInfra.Kubernetes.Cache;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Kubernetes.Queue;

namespace ImmutableInfra.Coordinator.Controllers;

/// <summary>
/// Each host's life cycle on the leader: Offline after the grace period without a stream (a dead
/// replica's hosts included), a released host's claim removed once its reset ended, a claim whose
/// machine no longer exists released, and an Event for every state change.
/// </summary>
internal sealed class MachineInventoryController(
    ResourceCaches caches, HostStatusWriter writer, HostLiveness liveness, EventRecorder events, TimeProvider time)
{
    public const string Name = "machineinventory";

    // One timer per replica Lease, re-armed by each renewal to fire when the Lease would expire: a replica that
    // dies without deleting its Lease sends no event, and its hosts must still become Offline.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ITimer> _expiryChecks = new(StringComparer.Ordinal);

    /// <summary>Enqueues on host changes, on replica Lease changes (their hosts), and on machine deletions (their hosts).</summary>
    public void Watch(ControllerLoop loop)
    {
        caches.HostCache.AddHandler(new ResourceChangeHandler<MachineInventory>(
            h => loop.Enqueue(CacheKeys.Of(h)), (_, h) => loop.Enqueue(CacheKeys.Of(h))));
        caches.ReplicaLeaseCache.AddHandler(new ResourceChangeHandler<Lease>(
            onAdd: l => ArmExpiryCheck(loop, l),
            onUpdate: (before, l) =>
            {
                // Renewals come every few seconds; looking at every host of the replica each time cost one
                // reconcile per host per renewal (10,000 hosts: ~1,000 reconciles/s on an idle fleet).
                if (!liveness.IsPlainRenewal(before, l))
                {
                    EnqueueServedBy(loop, l);
                }

                ArmExpiryCheck(loop, l);
            },
            onDelete: l =>
            {
                if (_expiryChecks.TryRemove(CacheKeys.Of(l), out var timer))
                {
                    timer.Dispose();
                }

                EnqueueServedBy(loop, l);
            }));
        caches.MachineCache.AddHandler(new ResourceChangeHandler<BaremetalMachine>(onDelete: m =>
        {
            foreach (var host in caches.HostCache.ByIndex(ResourceCaches.HostsByClaim, m.Metadata.Uid ?? string.Empty))
            {
                loop.Enqueue(CacheKeys.Of(host));
            }
        }));
    }

    public async Task<WorkResult> ReconcileAsync(string key, CancellationToken ct)
    {
        var (namespaceName, name) = CacheKeys.Split(key);
        var cached = caches.HostCache.Get(namespaceName, name);
        if (cached is null)
        {
            return WorkResult.Done;
        }

        var before = cached.Status?.State;
        var orphaned = cached.Status?.Claim is { Released: not true } && await IsOrphanedAsync(cached.Status.Claim.MachineRef, ct).ConfigureAwait(false);
        TimeSpan? recheck = null;
        var updated = await writer.UpdateAsync(namespaceName, name, host =>
        {
            var status = host.Status!;
            if (HostStateMachine.ResetEnded(host))
            {
                status.Claim = null;
                status.DesiredGeneration = (status.DesiredGeneration ?? 0) + 1;
                return true;
            }

            if (orphaned && status.Claim is { Released: not true } claim && claim.MachineRef?.Uid == cached.Status!.Claim!.MachineRef?.Uid)
            {
                claim.Released = true;
                claim.WipePolicy ??= WipePolicies.Resolve(null, host, PoolOf(host));
                status.DesiredGeneration = (status.DesiredGeneration ?? 0) + 1;
                return true;
            }

            return false;
        }, host =>
        {
            var (offline, again) = liveness.Check(host);
            recheck = again;
            return offline;
        }, ct).ConfigureAwait(false);

        if (updated?.Status?.State is { } after && after != before)
        {
            var message = after == HostState.Offline
                ? $"No agent stream for {liveness.Grace.TotalSeconds:0} s; host is Offline"
                : $"Host is {after.ToApiString()} (was {(before is { } b ? b.ToApiString() : "new")})";
            if (after is HostState.Offline or HostState.Failed)
            {
                events.Warning(updated, InfrastructureResources.MachineInventories.Kind, after.ToApiString(), message);
            }
            else
            {
                events.Normal(updated, InfrastructureResources.MachineInventories.Kind, after.ToApiString(), message);
            }
        }

        return recheck is { } delay ? WorkResult.After(delay) : WorkResult.Done;
    }

    // A claim by a machine that is gone (or was re-created under the same name) is left behind: release it.
    // The cache may lag the claim (another replica claimed for a machine this one has not seen yet), so
    // a missing machine is confirmed at the source before anything is released.
    private async Task<bool> IsOrphanedAsync(MachineReference? machine, CancellationToken ct)
    {
        if (machine is null || !caches.MachineCache.HasSynced)
        {
            return false;
        }

        var cached = caches.MachineCache.Get(machine.Namespace, machine.Name ?? string.Empty);
        if (cached is not null && cached.Metadata.Uid == machine.Uid)
        {
            return false;
        }

        try
        {
            var current = await caches.Machines.GetAsync(machine.Namespace, machine.Name ?? string.Empty, ct).ConfigureAwait(false);
            return current.Metadata.Uid != machine.Uid;
        }
        catch (KubeNotFoundException)
        {
            return true;
        }
    }

    private MachineInventoryPool? PoolOf(MachineInventory host) =>
        host.Spec?.PoolRef?.Name is { } pool ? caches.PoolCache.Get(host.Metadata.Namespace, pool) : null;

    private void ArmExpiryCheck(ControllerLoop loop, Lease lease)
    {
        if (liveness.UntilExpiry(lease) is not { } due)
        {
            return;
        }

        var key = CacheKeys.Of(lease);
        var timer = _expiryChecks.GetOrAdd(key, _ => time.CreateTimer(_ =>
        {
            // The cache has the newest copy: a renewal since arming re-armed the timer; only a silent replica's hosts are looked at.
            if (caches.ReplicaLeaseCache.Get(lease.Metadata.Namespace, lease.Metadata.Name!) is { } current && !ReplicaLeases.IsAlive(current, time.GetUtcNow()))
            {
                EnqueueServedBy(loop, current);
            }
        }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        timer.Change(due + TimeSpan.FromMilliseconds(100), Timeout.InfiniteTimeSpan);
    }

    private void EnqueueServedBy(ControllerLoop loop, Lease lease)
    {
        var replica = lease.Spec?.HolderIdentity;
        foreach (var host in caches.HostCache.List())
        {
            if (replica is not null && host.Status?.ConnectedTo == replica)
            {
                loop.Enqueue(CacheKeys.Of(host));
            }
        }
    }
}

/// <summary>The data-disk wipe policy of a release: the machine's, else the host's, else the pool's default, else Metadata.</summary>
internal static class WipePolicies
{
    public static WipePolicy Resolve(BaremetalMachine? machine, MachineInventory host, MachineInventoryPool? pool) =>
        machine?.Spec?.WipePolicy ?? host.Spec?.WipePolicy ?? pool?.Spec?.Defaults?.WipePolicy ?? WipePolicy.Metadata;
}
