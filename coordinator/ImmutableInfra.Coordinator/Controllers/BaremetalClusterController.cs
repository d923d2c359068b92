using System.Net;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.Caching;
using ImmutableInfra.Coordinator.ControlPlaneVip;
using ImmutableInfra.Kubernetes.Cache;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Kubernetes.Queue;

namespace ImmutableInfra.Coordinator.Controllers;

/// <summary>
/// The InfraCluster contract: the control-plane endpoint from the load balancer (Internal: vip:port;
/// External: the endpoint given), validation and VIP/vrid conflict detection, failure domains from the
/// hosts, provisioned/ready, and the VIP role of each control-plane host as membership changes.
/// </summary>
internal sealed class BaremetalClusterController(ResourceCaches caches, VipRoleAssigner vipRoles, EventRecorder events, TimeProvider time)
{
    public const string Name = "baremetalcluster";

    public void Watch(ControllerLoop loop)
    {
        caches.ClusterCache.AddHandler(new ResourceChangeHandler<BaremetalCluster>(
            c => EnqueueAll(loop), (_, c) => EnqueueAll(loop), _ => EnqueueAll(loop)));
        caches.CapiClusterCache.AddHandler(new ResourceChangeHandler<CapiCluster>(
            c => EnqueueInfra(loop, c), (_, c) => EnqueueInfra(loop, c)));
        caches.HostCache.AddHandler(new ResourceChangeHandler<MachineInventory>((h) => EnqueueNamespace(loop, h), (before, h) =>
        {
            if (HostEligibility.FailureDomainOf(before) != HostEligibility.FailureDomainOf(h))
            {
                EnqueueNamespace(loop, h);
            }

            if (VipInputsChanged(before, h))
            {
                EnqueueClaimedCluster(loop, before);
                EnqueueClaimedCluster(loop, h);
            }
        }, h => EnqueueClaimedCluster(loop, h)));
    }

    public async Task<WorkResult> ReconcileAsync(string key, CancellationToken ct)
    {
        var (namespaceName, name) = CacheKeys.Split(key);
        var cached = caches.ClusterCache.Get(namespaceName, name);
        if (cached is null)
        {
            return WorkResult.Done;
        }

        var descriptor = InfrastructureResources.BaremetalClusters;
        var cluster = ObjectCopy.Of(cached, descriptor);
        var status = cluster.Status ??= new BaremetalClusterStatus();
        var now = time.GetUtcNow();
        var generation = cluster.Metadata.Generation;
        var owner = OwnerCluster(cluster);
        if (cluster.Metadata.Annotations?.ContainsKey(ClusterApiLabels.PausedAnnotation) == true || owner?.Spec?.Paused == true)
        {
            status.SetCondition(ConditionTypes.Paused, ConditionStatus.True, MachineConditions.Paused, "Reconciliation is paused", generation, now);
            await WriteStatusAsync(cached, cluster, ct).ConfigureAwait(false);
            return WorkResult.Done;
        }

        status.SetCondition(ConditionTypes.Paused, ConditionStatus.False, MachineConditions.NotPaused, null, generation, now);
        var (endpoint, reason, problem) = Endpoint(cluster);
        if (problem is not null)
        {
            var changed = status.SetCondition(ConditionTypes.Ready, ConditionStatus.False, reason!, problem, generation, now);
            await WriteStatusAsync(cached, cluster, ct).ConfigureAwait(false);
            if (changed && reason != MachineConditions.WaitingForEndpoint)
            {
                events.Warning(cluster, descriptor.Kind, reason!, problem);
            }

            return WorkResult.Done;
        }

        if (cluster.Spec?.ControlPlaneEndpoint is not { Host: { Length: > 0 } })
        {
            // Contract: the InfraCluster fills spec.controlPlaneEndpoint; Cluster API copies it to the Cluster.
            cluster.Spec!.ControlPlaneEndpoint = endpoint;
            await caches.Clusters.UpdateAsync(cluster, ct).ConfigureAwait(false);
            return WorkResult.Done;
        }

        status.FailureDomains = [.. caches.HostCache.List()
            .Where(h => h.Metadata.Namespace == namespaceName)
            .Select(HostEligibility.FailureDomainOf)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(d => new FailureDomain { Name = d, ControlPlane = true })];
        status.Initialization = new InitializationStatus { Provisioned = true };
        status.Ready = true;
        var becameReady = status.SetCondition(ConditionTypes.Ready, ConditionStatus.True, MachineConditions.Ready, null, generation, now)
            && cached.Status?.Ready != true;
        await WriteStatusAsync(cached, cluster, ct).ConfigureAwait(false);
        if (becameReady)
        {
            events.Normal(cluster, descriptor.Kind, MachineConditions.Ready,
                $"Control-plane endpoint {endpoint!.Host}:{endpoint.Port}");
        }

        await vipRoles.SyncAsync(cluster, ct).ConfigureAwait(false);
        return WorkResult.Done;
    }

    /// <summary>The endpoint the spec asks for, or why it cannot be served (reason and message).</summary>
    private (ApiEndpoint? Endpoint, string? Reason, string? Problem) Endpoint(BaremetalCluster cluster)
    {
        var lb = cluster.Spec?.ControlPlaneLoadBalancer;
        var given = cluster.Spec?.ControlPlaneEndpoint;
        if (lb?.Type != LoadBalancerType.Internal)
        {
            return given is { Host.Length: > 0, Port: > 0 and <= 65535 }
                ? (given, null, null)
                : (null, MachineConditions.WaitingForEndpoint, "controlPlaneLoadBalancer is External: set spec.controlPlaneEndpoint (host and port) to the load balancer's address");
        }

        if (!IPAddress.TryParse(lb.Vip, out var vip))
        {
            return (null, MachineConditions.InvalidSpec, $"controlPlaneLoadBalancer.vip \"{lb.Vip}\" is not an IP address");
        }

        var port = lb.Port ?? 6443;
        if (port is < 1 or > 65535)
        {
            return (null, MachineConditions.InvalidSpec, $"controlPlaneLoadBalancer.port {port} is not in 1-65535");
        }

        if (lb.Vrid is not (>= 1 and <= 255))
        {
            return (null, MachineConditions.InvalidSpec, $"controlPlaneLoadBalancer.vrid {lb.Vrid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(unset)"} is not in 1-255");
        }

        // Two clusters on one VIP or one VRRP router id fight over it: the newer one waits, the older keeps working.
        var rival = caches.ClusterCache.List()
            .Where(c => c.Metadata.Uid != cluster.Metadata.Uid && c.Spec?.ControlPlaneLoadBalancer is { Type: LoadBalancerType.Internal } other
                && (other.Vrid == lb.Vrid || (IPAddress.TryParse(other.Vip, out var otherVip) && otherVip.Equals(vip))))
            .Where(c => IsOlder(c, cluster))
            .OrderBy(c => c.Metadata.CreationTimestamp)
            .FirstOrDefault();
        if (rival is not null)
        {
            return (null, MachineConditions.Conflict,
                $"BaremetalCluster {rival.Metadata.Namespace}/{rival.Metadata.Name} already uses VIP {rival.Spec!.ControlPlaneLoadBalancer!.Vip} / vrid {rival.Spec.ControlPlaneLoadBalancer.Vrid}");
        }

        var endpoint = new ApiEndpoint { Host = vip.ToString(), Port = port };
        if (given is { Host.Length: > 0 } && (given.Host != endpoint.Host || given.Port != endpoint.Port))
        {
            return (null, MachineConditions.InvalidSpec, $"spec.controlPlaneEndpoint {given.Host}:{given.Port} differs from the VIP {endpoint.Host}:{endpoint.Port}");
        }

        return (endpoint, null, null);
    }

    // Who keeps a contested VIP: the cluster already serving it, else the older (creation times have
    // one-second resolution, so two clusters made together are ordered by uid only as a last resort).
    private static bool IsOlder(BaremetalCluster candidate, BaremetalCluster cluster) =>
        (Serving(cluster), candidate.Metadata.CreationTimestamp, candidate.Metadata.Uid)
            .CompareTo((Serving(candidate), cluster.Metadata.CreationTimestamp, cluster.Metadata.Uid)) < 0;

    private static bool Serving(BaremetalCluster cluster) => cluster.Status?.Ready == true;

    private CapiCluster? OwnerCluster(BaremetalCluster cluster)
    {
        var name = ClusterApiLabels.OwnerClusterName(cluster);
        return name is null ? null : caches.CapiClusterCache.Get(cluster.Metadata.Namespace, name);
    }

    private Task WriteStatusAsync(BaremetalCluster cached, BaremetalCluster cluster, CancellationToken ct)
    {
        cluster.Status!.ObservedGeneration = cluster.Metadata.Generation;
        return ObjectCopy.WriteStatusIfChangedAsync(caches.Clusters, cached, cluster, ct);
    }

    private void EnqueueAll(ControllerLoop loop)
    {
        foreach (var cluster in caches.ClusterCache.List())
        {
            loop.Enqueue(CacheKeys.Of(cluster));
        }
    }

    private void EnqueueNamespace(ControllerLoop loop, MachineInventory host)
    {
        foreach (var cluster in caches.ClusterCache.List().Where(c => c.Metadata.Namespace == host.Metadata.Namespace))
        {
            loop.Enqueue(CacheKeys.Of(cluster));
        }
    }

    // What a control-plane host's VIP role is computed from: membership, addresses, and provisioned (ends initializing).
    private static bool VipInputsChanged(MachineInventory before, MachineInventory after)
    {
        var (b, a) = (before.Status, after.Status);
        return b?.Claim?.Cluster != a?.Claim?.Cluster
            || b?.Claim?.MachineRef?.Uid != a?.Claim?.MachineRef?.Uid
            || VipRoles.IsActiveControlPlane(before) != VipRoles.IsActiveControlPlane(after)
            || (b?.State == HostState.Provisioned) != (a?.State == HostState.Provisioned)
            || !(b?.Addresses ?? []).SequenceEqual(a?.Addresses ?? [], StringComparer.Ordinal)
            || !VipRoles.Same(b?.Claim?.VipRole, a?.Claim?.VipRole);
    }

    private void EnqueueClaimedCluster(ControllerLoop loop, MachineInventory host)
    {
        if (host.Status?.Claim is { ControlPlane: true, Cluster: { Length: > 0 } capiCluster } && VipRoles.BaremetalClusterOf(caches, capiCluster) is { } cluster)
        {
            loop.Enqueue(CacheKeys.Of(cluster));
        }
    }

    private static void EnqueueInfra(ControllerLoop loop, CapiCluster cluster)
    {
        if (cluster.Spec?.InfrastructureRef is { Kind: "BaremetalCluster", Name: { } name })
        {
            loop.Enqueue(CacheKeys.Of(cluster.Metadata.Namespace, name));
        }
    }
}
