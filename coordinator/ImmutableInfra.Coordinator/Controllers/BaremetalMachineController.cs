using System.Collections.Concurrent;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.AgentApi;
using ImmutableInfra.Coordinator.Caching;
using ImmutableInfra.Coordinator.ControlPlaneVip;
using ImmutableInfra.Coordinator.Hosts;
using ImmutableInfra.Coordinator.Observability;
using ImmutableInfra.Kubernetes.Cache;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Kubernetes.Queue;

namespace ImmutableInfra.Coordinator.Controllers;

/// <summary>
/// The InfraMachine contract: waits for the owner Machine and its bootstrap data Secret, claims one
/// eligible host with an optimistic-concurrency write on that host, mirrors the host's progress, sets
/// providerID, addresses and provisioned/ready, and on deletion resets and frees the host before letting
/// the machine go. Honours <c>cluster.x-k8s.io/paused</c> and <c>Cluster.spec.paused</c>.
/// </summary>
internal sealed class BaremetalMachineController(
    ResourceCaches caches, HostStatusWriter writer, EventRecorder events, TimeProvider time)
{
    public const string Name = "baremetalmachine";

    private const int MaxClaimAttempts = 5;

    // How long a claim this replica wrote may stay unseen by the host cache before the machine is looked at again.
    private static readonly TimeSpan ClaimEchoTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, byte> _waitingForHost = new(StringComparer.Ordinal);

    // Claims this replica wrote that the host cache does not show yet (machine UID -> when). The machine's own
    // reservation write wakes it again before the claim's watch event arrives; claiming again then, against the stale
    // cached host, would cost a conflict and a GET only to learn the host is already its own. The host's watch event
    // ends the wait (and brings the machine back); should it never come, ClaimEchoTimeout does.
    private readonly ConcurrentDictionary<string, long> _claimsUnseen = new(StringComparer.Ordinal);

    public void Watch(ControllerLoop loop)
    {
        // A machine still waiting for its host goes ahead of progress mirroring: its claim gates a delivery, and with
        // 500 machines created at once the mirror writes of the first would otherwise hold back the claims of the last.
        caches.MachineCache.AddHandler(new ResourceChangeHandler<BaremetalMachine>(
            m => EnqueueMachine(loop, m), (_, m) => EnqueueMachine(loop, m), m =>
            {
                _waitingForHost.TryRemove(CacheKeys.Of(m), out _);
                _claimsUnseen.TryRemove(m.Metadata.Uid ?? string.Empty, out _);
            }));
        caches.CapiMachineCache.AddHandler(new ResourceChangeHandler<CapiMachine>(
            m => EnqueueInfra(loop, m), (_, m) => EnqueueInfra(loop, m)));
        caches.CapiClusterCache.AddHandler(new ResourceChangeHandler<CapiCluster>(onUpdate: (_, c) =>
        {
            foreach (var machine in caches.MachineCache.ByIndex(ResourceCaches.MachinesByCluster, CacheKeys.Of(c)))
            {
                loop.Enqueue(CacheKeys.Of(machine));
            }
        }));
        caches.HostCache.AddHandler(new ResourceChangeHandler<MachineInventory>(
            h => WakeWaiting(loop, h, null),
            (previous, h) =>
            {
                if (h.Status?.Claim?.MachineRef?.Uid is { } claimant)
                {
                    _claimsUnseen.TryRemove(claimant, out _);
                }

                EnqueueClaimant(loop, previous);
                EnqueueClaimant(loop, h);
                WakeWaiting(loop, h, previous);
            },
            h => EnqueueClaimant(loop, h)));
        // A pool's spec can make hosts eligible; its status (the counts, written as hosts move) cannot.
        caches.PoolCache.AddHandler(new ResourceChangeHandler<MachineInventoryPool>(p => WakeAll(loop), (before, after) =>
        {
            if (before.Metadata.Generation != after.Metadata.Generation)
            {
                WakeAll(loop);
            }
        }));
    }

    public async Task<WorkResult> ReconcileAsync(string key, CancellationToken ct)
    {
        var (namespaceName, name) = CacheKeys.Split(key);
        var cached = caches.MachineCache.Get(namespaceName, name);
        if (cached is null)
        {
            return WorkResult.Done;
        }

        var descriptor = InfrastructureResources.BaremetalMachines;
        var machine = ObjectCopy.Of(cached, descriptor);
        machine.Status ??= new BaremetalMachineStatus();
        var owner = OwnerMachine(machine);
        var clusterName = machine.Metadata.Labels?.GetValueOrDefault(ClusterApiLabels.ClusterName) ?? owner?.Spec?.ClusterName;
        var cluster = clusterName is null ? null : caches.CapiClusterCache.Get(namespaceName, clusterName);
        var now = time.GetUtcNow();

        if (IsPaused(machine, cluster))
        {
            machine.Status.SetCondition(ConditionTypes.Paused, ConditionStatus.True, MachineConditions.Paused, "Reconciliation is paused", machine.Metadata.Generation, now);
            await WriteStatusAsync(cached, machine, ct).ConfigureAwait(false);
            return WorkResult.Done;
        }

        machine.Status.SetCondition(ConditionTypes.Paused, ConditionStatus.False, MachineConditions.NotPaused, null, machine.Metadata.Generation, now);
        var claims = caches.HostCache.ByIndex(ResourceCaches.HostsByClaim, machine.Metadata.Uid ?? string.Empty);
        var host = claims.Count > 0 ? claims[0] : null;
        if (machine.Metadata.DeletionTimestamp is not null)
        {
            return await ReleaseAsync(cached, machine, host, ct).ConfigureAwait(false);
        }

        if (host is null)
        {
            if (_claimsUnseen.TryGetValue(machine.Metadata.Uid ?? string.Empty, out var claimedAt) && time.GetElapsedTime(claimedAt) is var unseen && unseen < ClaimEchoTimeout)
            {
                return WorkResult.After(ClaimEchoTimeout - unseen);
            }

            _claimsUnseen.TryRemove(machine.Metadata.Uid ?? string.Empty, out _);

            var (claimed, lostRace) = await ClaimAsync(key, machine, owner, clusterName, now, ct).ConfigureAwait(false);
            if (!claimed)
            {
                await WriteStatusAsync(cached, machine, ct).ConfigureAwait(false);
                // Every candidate went to another claimant (or the cache was behind): others may still be free,
                // and no host becoming Available will wake us for them, so look again after a backoff.
                return lostRace ? WorkResult.Retry : WorkResult.Done;
            }

            // The claim's watch event brings the machine back to mirror the host, behind the machines still waiting
            // for theirs; by then the host has often moved on, and one write covers several of its steps.
            _waitingForHost.TryRemove(key, out _);
            return WorkResult.Done;
        }

        _waitingForHost.TryRemove(key, out _);
        if (!HasFinalizer(machine))
        {
            // Normally written with the reservation; this covers a claim made by a version that wrote it later.
            await AddFinalizerAsync(machine, ct).ConfigureAwait(false);
            return WorkResult.Done;
        }

        return await MirrorHostAsync(cached, machine, host, now, ct).ConfigureAwait(false);
    }

    private async Task<(bool Claimed, bool LostRace)> ClaimAsync(string key, BaremetalMachine machine, CapiMachine? owner, string? clusterName, DateTimeOffset now, CancellationToken ct)
    {
        machine.Status!.Phase = MachinePhase.Pending;
        if (owner is null)
        {
            SetReady(machine, MachineConditions.WaitingForOwnerMachine, "Waiting for the Cluster API Machine that owns this object", now);
            return (false, false);
        }

        var secret = owner.Spec?.Bootstrap?.DataSecretName;
        if (string.IsNullOrEmpty(secret))
        {
            SetReady(machine, MachineConditions.WaitingForBootstrapData, "Waiting for the Machine's bootstrap data Secret", now);
            return (false, false);
        }

        var poolName = machine.Spec?.PoolRef?.Name;
        var pool = poolName is null ? null : caches.PoolCache.Get(machine.Metadata.Namespace, poolName);
        if (pool is null)
        {
            SetReady(machine, MachineConditions.PoolNotFound, $"MachineInventoryPool {machine.Metadata.Namespace}/{poolName ?? "(none)"} does not exist", now);
            _waitingForHost[key] = 0;
            return (false, false);
        }

        if (SelectorProblem(machine.Spec?.HostSelector) is { } problem)
        {
            SetReady(machine, MachineConditions.InvalidSpec, problem, now);
            return (false, false);
        }

        var failureDomain = owner.Spec?.FailureDomain is { Length: > 0 } fd ? fd : machine.Spec?.FailureDomain;
        // Each machine starts at its own place in the pool, so parallel claimants rarely race for one host, and only
        // the first eligible few are looked at (ClaimOrder says why that matters with 10,000 hosts).
        var selector = machine.Spec?.HostSelector;
        var candidates = caches.PickHosts(pool, machine.Metadata.Uid, h => HostEligibility.WhyNot(h, selector, failureDomain) is null, MaxClaimAttempts);

        // The host this machine reserved earlier comes first, so claimants that raced for the machine
        // (two replicas, or one replica before and after a crash) converge on one host. Versions before the
        // annotation reserved in status.hostRef, which a claimant of theirs may still be acting on.
        var reservedName = machine.Metadata.Annotations?.GetValueOrDefault(MachineConditions.ReservedHostAnnotation) ?? machine.Status.HostRef?.Name;
        if (reservedName is not null && caches.HostCache.Get(machine.Metadata.Namespace, reservedName) is { } reserved
            && (HostEligibility.WhyNot(reserved, selector, failureDomain) is null || ClaimedBy(reserved, machine)))
        {
            candidates.RemoveAll(h => h.Metadata.Name == reservedName);
            candidates.Insert(0, reserved);
        }

        var controlPlane = owner.Metadata.Labels?.ContainsKey(ClusterApiLabels.ControlPlane) == true
            || machine.Metadata.Labels?.ContainsKey(ClusterApiLabels.ControlPlane) == true;
        foreach (var candidate in candidates)
        {
            if (reservedName != candidate.Metadata.Name || !HasFinalizer(machine))
            {
                // Reserve the host on the machine first, guarded by the machine's resourceVersion: of two
                // claimants for one machine only one reserves (the other gets a conflict and retries), so a
                // machine never ends up with two hosts. The host's own write below decides between machines.
                // The finalizer comes in the same write, so that a host is never claimed for a machine that could
                // go without releasing it; one write instead of two, before the delivery and not after it.
                reservedName = candidate.Metadata.Name!;
                machine.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
                machine.Metadata.Annotations[MachineConditions.ReservedHostAnnotation] = reservedName;
                await AddFinalizerAsync(machine, ct).ConfigureAwait(false);
            }

            var (won, alreadyOurs) = (false, false);
            var written = await writer.UpdateAsync(candidate.Metadata.Namespace, candidate.Metadata.Name!, h =>
            {
                if (ClaimedBy(h, machine))
                {
                    (won, alreadyOurs) = (true, true);
                    return false;
                }

                // Checked again on every attempt: a retry after a conflict sees the other claimant's write.
                if (h.Status!.Claim is not null || h.Status.State != HostState.Available || h.Spec?.Maintenance == true)
                {
                    return false;
                }

                h.Status.Claim = new HostClaim
                {
                    MachineRef = new MachineReference { Namespace = machine.Metadata.Namespace, Name = machine.Metadata.Name, Uid = machine.Metadata.Uid },
                    ClaimedAt = now,
                    Cluster = clusterName is null ? null : CacheKeys.Of(machine.Metadata.Namespace, clusterName),
                    BootstrapDataSecret = secret,
                    ControlPlane = controlPlane,
                    FailureDomain = HostEligibility.FailureDomainOf(h),
                };
                // A control plane's VIP role travels with its first Provision: kubeadm init needs the VIP up.
                if (controlPlane && clusterName is not null)
                {
                    var clusterKey = CacheKeys.Of(machine.Metadata.Namespace, clusterName);
                    if (VipRoles.BaremetalClusterOf(caches, clusterKey) is { Status.Ready: true } infraCluster)
                    {
                        h.Status.Claim.VipRole = VipRoles.For(infraCluster, h, VipRoles.ControlPlaneHosts(caches, clusterKey));
                    }
                }

                h.Status.DesiredGeneration = (h.Status.DesiredGeneration ?? 0) + 1;
                won = true;
                return true;
            }, null, ct).ConfigureAwait(false);
            if (won && written is not null && written.Status?.Claim?.MachineRef?.Uid == machine.Metadata.Uid)
            {
                if (alreadyOurs)
                {
                    return (true, false); // Claimed before (by another reconcile or replica), which also said so.
                }

                _claimsUnseen[machine.Metadata.Uid!] = time.GetTimestamp();
                if (machine.Metadata.CreationTimestamp is { } created)
                {
                    CoordinatorMetrics.ClaimDuration.Record((now - created).TotalSeconds);
                }

                events.Normal(machine, InfrastructureResources.BaremetalMachines.Kind, MachineConditions.Claimed,
                    $"Claimed host {written.Metadata.Name}");
                return (true, false);
            }
        }

        _waitingForHost[key] = 0;
        machine.Status.HostRef = null; // A reservation that won no host holds nothing.
        SetReady(machine, MachineConditions.NoHostAvailable,
            $"No Available host in pool {pool.Metadata.Name} matches the selector{(failureDomain is null ? string.Empty : $" in failure domain {failureDomain}")}", now);
        return (false, candidates.Count > 0);
    }

    private async Task<WorkResult> MirrorHostAsync(BaremetalMachine cached, BaremetalMachine machine, MachineInventory host, DateTimeOffset now, CancellationToken ct)
    {
        var status = machine.Status!;
        var hostStatus = host.Status!;
        status.HostRef = new HostReference { Name = host.Metadata.Name, Uid = host.Metadata.Uid };
        status.FailureDomain = hostStatus.Claim?.FailureDomain;
        status.BootstrapStep = hostStatus.Bootstrap is { } b && b.MachineUid == machine.Metadata.Uid && b.TotalSteps > 0
            ? $"{b.Step}/{b.TotalSteps} {b.StepName}".TrimEnd()
            : null;
        var wasProvisioned = status.Initialization?.Provisioned == true;
        switch (hostStatus.State)
        {
            case HostState.Provisioned:
                status.Phase = MachinePhase.Provisioned;
                status.Initialization = new InitializationStatus { Provisioned = true };
                status.Ready = true;
                status.Addresses = Addresses(host);
                status.SetCondition(ConditionTypes.Ready, ConditionStatus.True, MachineConditions.Provisioned, null, machine.Metadata.Generation, now);
                break;
            case HostState.Failed:
                status.Phase = MachinePhase.Failed;
                SetReady(machine, MachineConditions.ProvisioningFailed, hostStatus.FailureReason ?? "the host reported a failure", now);
                break;
            case HostState.Offline:
                SetReady(machine, MachineConditions.HostOffline, $"Host {host.Metadata.Name} has no agent stream", now);
                break;
            case HostState.Provisioning:
                status.Phase = MachinePhase.Provisioning;
                SetReady(machine, MachineConditions.Provisioning, status.BootstrapStep ?? "Running bootstrap data", now);
                break;
            default:
                status.Phase = MachinePhase.Claimed;
                SetReady(machine, MachineConditions.Claimed, $"Host {host.Metadata.Name} claimed; waiting for its agent", now);
                break;
        }

        var providerId = ProviderIds.For(host);
        if (status.Phase == MachinePhase.Provisioned && machine.Spec?.ProviderId != providerId)
        {
            // providerID is a spec field (contract): its own write, before the status that says "provisioned".
            var withId = ObjectCopy.Of(cached, InfrastructureResources.BaremetalMachines);
            withId.Spec ??= new BaremetalMachineSpec();
            withId.Spec.ProviderId = providerId;
            await caches.Machines.UpdateAsync(withId, ct).ConfigureAwait(false);
            return WorkResult.Done;
        }

        await WriteStatusAsync(cached, machine, ct).ConfigureAwait(false);
        if (!wasProvisioned && status.Initialization?.Provisioned == true)
        {
            if (hostStatus.Claim?.ClaimedAt is { } claimedAt)
            {
                CoordinatorMetrics.BootstrapDuration.Record((now - claimedAt).TotalSeconds);
            }

            events.Normal(machine, InfrastructureResources.BaremetalMachines.Kind, MachineConditions.Provisioned,
                $"Host {host.Metadata.Name} is the machine's node ({providerId})");
        }
        else if (cached.Status?.Phase != MachinePhase.Failed && status.Phase == MachinePhase.Failed)
        {
            events.Warning(machine, InfrastructureResources.BaremetalMachines.Kind, MachineConditions.ProvisioningFailed,
                hostStatus.FailureReason ?? "the host reported a failure");
        }

        return WorkResult.Done;
    }

    private async Task<WorkResult> ReleaseAsync(BaremetalMachine cached, BaremetalMachine machine, MachineInventory? host, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (host is not null)
        {
            if (host.Status?.Claim?.Released != true)
            {
                var pool = host.Spec?.PoolRef?.Name is { } poolName ? caches.PoolCache.Get(host.Metadata.Namespace, poolName) : null;
                await writer.UpdateAsync(host.Metadata.Namespace, host.Metadata.Name!, h =>
                {
                    if (h.Status!.Claim is not { } claim || claim.MachineRef?.Uid != machine.Metadata.Uid || claim.Released == true)
                    {
                        return false;
                    }

                    claim.Released = true;
                    claim.WipePolicy = WipePolicies.Resolve(machine, h, pool);
                    h.Status.DesiredGeneration = (h.Status.DesiredGeneration ?? 0) + 1;
                    return true;
                }, null, ct).ConfigureAwait(false);
                events.Normal(machine, InfrastructureResources.BaremetalMachines.Kind, MachineConditions.Deprovisioning,
                    $"Resetting host {host.Metadata.Name} before it returns to its pool");
            }

            machine.Status!.Phase = MachinePhase.Deprovisioning;
            SetReady(machine, MachineConditions.Deprovisioning, $"Host {host.Metadata.Name} is being reset", now);
            await WriteStatusAsync(cached, machine, ct).ConfigureAwait(false);
            return WorkResult.Done; // The host's claim going away brings us back.
        }

        if (machine.Metadata.Finalizers?.Remove(MachineConditions.MachineFinalizer) == true)
        {
            var fresh = ObjectCopy.Of(cached, InfrastructureResources.BaremetalMachines);
            fresh.Metadata.Finalizers?.Remove(MachineConditions.MachineFinalizer);
            await caches.Machines.UpdateAsync(fresh, ct).ConfigureAwait(false);
        }

        return WorkResult.Done;
    }

    private static bool HasFinalizer(BaremetalMachine machine) =>
        machine.Metadata.Finalizers?.Contains(MachineConditions.MachineFinalizer) == true;

    // A metadata write (with whatever else the caller put in the metadata), guarded by the resourceVersion this
    // reconcile holds; the status it carries is ignored by the API server (status subresource).
    private async Task AddFinalizerAsync(BaremetalMachine machine, CancellationToken ct)
    {
        machine.Metadata.Finalizers ??= [];
        if (!HasFinalizer(machine))
        {
            machine.Metadata.Finalizers.Add(MachineConditions.MachineFinalizer);
        }

        var saved = await caches.Machines.UpdateAsync(machine, ct).ConfigureAwait(false);
        machine.Metadata.ResourceVersion = saved.Metadata.ResourceVersion;
    }

    private Task WriteStatusAsync(BaremetalMachine cached, BaremetalMachine machine, CancellationToken ct)
    {
        machine.Status!.ObservedGeneration = machine.Metadata.Generation;
        return ObjectCopy.WriteStatusIfChangedAsync(caches.Machines, cached, machine, ct);
    }

    private static void SetReady(BaremetalMachine machine, string reason, string message, DateTimeOffset now) =>
        machine.Status!.SetCondition(ConditionTypes.Ready, ConditionStatus.False, reason, message, machine.Metadata.Generation, now);

    private static bool ClaimedBy(MachineInventory host, BaremetalMachine machine) =>
        host.Status?.Claim?.MachineRef?.Uid is { } uid && uid == machine.Metadata.Uid;

    private static bool IsPaused(BaremetalMachine machine, CapiCluster? cluster) =>
        machine.Metadata.Annotations?.ContainsKey(ClusterApiLabels.PausedAnnotation) == true || cluster?.Spec?.Paused == true;

    private static string? SelectorProblem(HostSelector? selector)
    {
        if (selector?.MinMemory is { } memory && !memory.TryToInt64(out _))
        {
            return $"hostSelector.minMemory \"{memory}\" is not a Kubernetes quantity";
        }

        if (selector?.MinDiskSize is { } disk && !disk.TryToInt64(out _))
        {
            return $"hostSelector.minDiskSize \"{disk}\" is not a Kubernetes quantity";
        }

        return selector?.MinCpu is < 0 ? "hostSelector.minCPU must not be negative" : null;
    }

    private static List<MachineAddress> Addresses(MachineInventory host)
    {
        var addresses = new List<MachineAddress>();
        if (host.Status?.Hostname is { Length: > 0 } hostname)
        {
            addresses.Add(new MachineAddress { Type = MachineAddressType.Hostname, Address = hostname });
        }

        foreach (var cidr in host.Status?.Addresses ?? [])
        {
            var slash = cidr.IndexOf('/', StringComparison.Ordinal);
            addresses.Add(new MachineAddress { Type = MachineAddressType.InternalIP, Address = slash < 0 ? cidr : cidr[..slash] });
        }

        return addresses;
    }

    private CapiMachine? OwnerMachine(BaremetalMachine machine)
    {
        var owner = ClusterApiLabels.Owner(machine, "Machine");
        return owner?.Name is null ? null : caches.CapiMachineCache.Get(machine.Metadata.Namespace, owner.Name) is { } m && m.Metadata.Uid == owner.Uid ? m : null;
    }

    private void EnqueueMachine(ControllerLoop loop, BaremetalMachine machine)
    {
        if (machine.Metadata.DeletionTimestamp is null && caches.HostCache.ByIndex(ResourceCaches.HostsByClaim, machine.Metadata.Uid ?? string.Empty).Count == 0)
        {
            loop.EnqueueUrgent(CacheKeys.Of(machine));
        }
        else
        {
            loop.Enqueue(CacheKeys.Of(machine));
        }
    }

    private void EnqueueInfra(ControllerLoop loop, CapiMachine machine)
    {
        if (machine.Spec?.InfrastructureRef is { Kind: "BaremetalMachine", Name: { } name })
        {
            // Its bootstrap data arriving is what a waiting machine waits for.
            if (caches.MachineCache.Get(machine.Metadata.Namespace, name) is { } infra)
            {
                EnqueueMachine(loop, infra);
            }
            else
            {
                loop.Enqueue(CacheKeys.Of(machine.Metadata.Namespace, name));
            }
        }
    }

    private static void EnqueueClaimant(ControllerLoop loop, MachineInventory host)
    {
        if (host.Status?.Claim?.MachineRef is { Name: { } name } machine)
        {
            loop.Enqueue(CacheKeys.Of(machine.Namespace, name));
        }
    }

    private void WakeWaiting(ControllerLoop loop, MachineInventory host, MachineInventory? previous)
    {
        if (host.Status?.State == HostState.Available && previous?.Status?.State != HostState.Available)
        {
            WakeAll(loop);
        }
    }

    private void WakeAll(ControllerLoop loop)
    {
        foreach (var key in _waitingForHost.Keys)
        {
            loop.EnqueueUrgent(key);
        }
    }
}
