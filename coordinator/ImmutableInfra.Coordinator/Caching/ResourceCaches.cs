using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Kubernetes.Cache;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Kubernetes.Watch;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Coordinator.Caching;

/// <summary>
/// Watch-fed copies of every kind the coordinator reads, with the indexes its controllers and agent API
/// look things up by. Controllers read only from here; the API server sees lists once and watches after.
/// Cached objects are shared: copy before changing (<see cref="ObjectCopy"/>).
/// </summary>
internal sealed class ResourceCaches
{
    public const string HostsByIdentity = "identity";
    public const string HostsByClaim = "claim";
    public const string HostsByPool = "pool";
    public const string HostsByClaimedCluster = "claimed-cluster";
    public const string MachinesByCluster = "cluster";

    public ResourceCaches(KubeClient api, string coordinatorNamespace)
    {
        Pools = api.Resource(InfrastructureResources.MachineInventoryPools);
        Hosts = api.Resource(InfrastructureResources.MachineInventories);
        Clusters = api.Resource(InfrastructureResources.BaremetalClusters);
        Machines = api.Resource(InfrastructureResources.BaremetalMachines);
        CapiMachines = api.Resource(KubeResources.CapiMachines);
        CapiClusters = api.Resource(KubeResources.CapiClusters);
        Secrets = api.Resource(KubeResources.Secrets);
        Events = api.Resource(KubeResources.Events);
        Leases = api.Resource(KubeResources.Leases);
        CoordinatorNamespace = coordinatorNamespace;

        HostCache.AddIndexer(HostsByIdentity, IdentityKeys);
        HostCache.AddIndexer(HostsByClaim, h => h.Status?.Claim?.MachineRef?.Uid is { Length: > 0 } uid ? [uid] : []);
        HostCache.AddIndexer(HostsByClaimedCluster, h => h.Status?.Claim?.Cluster is { Length: > 0 } cluster ? [cluster] : []);
        HostCache.AddIndexer(HostsByPool, h => h.Spec?.PoolRef?.Name is { Length: > 0 } pool ? [CacheKeys.Of(h.Metadata.Namespace, pool)] : []);
        MachineCache.AddIndexer(MachinesByCluster, m => m.Metadata.Labels?.GetValueOrDefault(ClusterApiLabels.ClusterName) is { Length: > 0 } c
            ? [CacheKeys.Of(m.Metadata.Namespace, c)]
            : []);
    }

    public string CoordinatorNamespace { get; }

    public IResourceClient<MachineInventoryPool> Pools { get; }
    public IResourceClient<MachineInventory> Hosts { get; }
    public IResourceClient<BaremetalCluster> Clusters { get; }
    public IResourceClient<BaremetalMachine> Machines { get; }
    public IResourceClient<CapiMachine> CapiMachines { get; }
    public IResourceClient<CapiCluster> CapiClusters { get; }
    public IResourceClient<Secret> Secrets { get; }
    public IResourceClient<KubeEvent> Events { get; }
    public IResourceClient<Lease> Leases { get; }

    public WatchCache<MachineInventoryPool> PoolCache { get; } = new();
    public WatchCache<MachineInventory> HostCache { get; } = new();
    public WatchCache<BaremetalCluster> ClusterCache { get; } = new();
    public WatchCache<BaremetalMachine> MachineCache { get; } = new();
    public WatchCache<CapiMachine> CapiMachineCache { get; } = new();
    public WatchCache<CapiCluster> CapiClusterCache { get; } = new();

    /// <summary>The replicas' Leases (label <see cref="ReplicaLeases.Label"/>), to tell live streams from a dead replica's.</summary>
    public WatchCache<Lease> ReplicaLeaseCache { get; } = new();

    /// <summary>The hosts that serve <paramref name="pool"/> (<see cref="Controllers.HostEligibility.InPool"/>), from the index when it can.</summary>
    public IReadOnlyList<MachineInventory> HostsIn(MachineInventoryPool pool) =>
        Controllers.HostEligibility.ServesItsRegistrationsOnly(pool)
            ? HostCache.ByIndex(HostsByPool, CacheKeys.Of(pool))
            : HostCache.List().Where(h => Controllers.HostEligibility.InPool(pool, h)).ToList();

    /// <summary>
    /// Up to <paramref name="count"/> hosts of <paramref name="pool"/> that pass <paramref name="eligible"/>, in the
    /// machine's claim order (<see cref="Controllers.ClaimOrder"/>), looked up in place rather than copied.
    /// </summary>
    public List<MachineInventory> PickHosts(MachineInventoryPool pool, string? machineUid, Func<MachineInventory, bool> eligible, int count) =>
        Controllers.HostEligibility.ServesItsRegistrationsOnly(pool)
            ? HostCache.ReadIndex(HostsByPool, CacheKeys.Of(pool), hosts => Controllers.ClaimOrder.Pick(hosts, machineUid, eligible, count))
            : Controllers.ClaimOrder.Pick(HostsIn(pool), machineUid, eligible, count);

    /// <summary>Identity index values: the SMBIOS UUID and each MAC, so either finds a re-registering host.</summary>
    public static IEnumerable<string> IdentityKeys(MachineInventory host)
    {
        var identity = host.Spec?.Identity;
        if (identity?.SystemUuid is { Length: > 0 } uuid)
        {
            yield return "uuid:" + uuid.ToLowerInvariant();
        }

        foreach (var mac in identity?.Macs ?? [])
        {
            yield return "mac:" + mac.ToLowerInvariant();
        }
    }

    /// <summary>Starts every watcher; returns once all caches hold their first list.</summary>
    public async Task<Task> StartAsync(ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger<ResourceCaches>();
        var runs = new List<Task>
        {
            new ListWatcher<MachineInventoryPool>(Pools, PoolCache, null, logger).RunAsync(cancellationToken),
            new ListWatcher<MachineInventory>(Hosts, HostCache, null, logger).RunAsync(cancellationToken),
            new ListWatcher<BaremetalCluster>(Clusters, ClusterCache, null, logger).RunAsync(cancellationToken),
            new ListWatcher<BaremetalMachine>(Machines, MachineCache, null, logger).RunAsync(cancellationToken),
            new ListWatcher<CapiMachine>(CapiMachines, CapiMachineCache, null, logger).RunAsync(cancellationToken),
            new ListWatcher<CapiCluster>(CapiClusters, CapiClusterCache, null, logger).RunAsync(cancellationToken),
            new ListWatcher<Lease>(Leases, ReplicaLeaseCache,
                new ListWatcherOptions { Namespace = CoordinatorNamespace, LabelSelector = ReplicaLeases.Label + "=true" }, logger).RunAsync(cancellationToken),
        };
        await Task.WhenAll(
            PoolCache.WaitForSyncAsync(cancellationToken), HostCache.WaitForSyncAsync(cancellationToken),
            ClusterCache.WaitForSyncAsync(cancellationToken), MachineCache.WaitForSyncAsync(cancellationToken),
            CapiMachineCache.WaitForSyncAsync(cancellationToken), CapiClusterCache.WaitForSyncAsync(cancellationToken),
            ReplicaLeaseCache.WaitForSyncAsync(cancellationToken)).ConfigureAwait(false);
        return Task.WhenAll(runs);
    }
}
