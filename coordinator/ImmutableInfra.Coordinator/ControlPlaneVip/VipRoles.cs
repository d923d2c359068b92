using System.Net;
using System.Text.Json;
using ImmutableInfra.Api.V1Beta1;
using InterfaceAddress = ImmutableInfra.Contract.V1.InterfaceAddress;
using ImmutableInfra.Coordinator.Caching;
using ImmutableInfra.Kubernetes.Cache;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Coordinator.ControlPlaneVip;

/// <summary>
/// Who holds a cluster's control-plane VIP duty and with which peers: every active control-plane host of a
/// BaremetalCluster with an Internal load balancer gets a <see cref="HostVipRole"/> naming the other ones.
/// Pure functions over cached objects, so the claim (one host) and the cluster controller (all of them)
/// compute the same role, and an unchanged membership produces an identical role (no needless write).
/// </summary>
internal static class VipRoles
{
    /// <summary>The arbiter Lease lives in the workload cluster, beside kubeadm's own objects.</summary>
    public const string LeaseNamespace = "kube-system";

    /// <summary>
    /// The VRRP advert interval every role carries (keepalived's own default, 1 s, would make a new Lease
    /// holder wait 3.6 s before it is master). Only the Lease holder is ever eligible, so a short interval
    /// cannot cause a split brain; it only sets how fast the holder's keepalived claims the VIP (3 adverts + skew,
    /// 0.36 s) and costs 10 small packets a second to each peer. The agent README's "VIP arbiter" has the failover formula.
    /// </summary>
    public static readonly TimeSpan AdvertInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>The CAPI Cluster key ("namespace/name") a BaremetalCluster belongs to: its owner, its label, else its own name.</summary>
    public static string CapiClusterKey(BaremetalCluster cluster)
    {
        return CacheKeys.Of(cluster.Metadata.Namespace, ClusterApiLabels.OwnerClusterName(cluster) ?? cluster.Metadata.Name!);
    }

    /// <summary>The BaremetalCluster of a CAPI Cluster: its infrastructureRef, else the one of the same name.</summary>
    public static BaremetalCluster? BaremetalClusterOf(ResourceCaches caches, string capiClusterKey)
    {
        var (namespaceName, name) = CacheKeys.Split(capiClusterKey);
        var infrastructure = caches.CapiClusterCache.Get(namespaceName, name)?.Spec?.InfrastructureRef;
        return caches.ClusterCache.Get(namespaceName, infrastructure is { Kind: "BaremetalCluster", Name: { Length: > 0 } infra } ? infra : name);
    }

    /// <summary>The hosts that currently serve a control-plane machine of the cluster (claimed, not released).</summary>
    public static IEnumerable<MachineInventory> ControlPlaneHosts(ResourceCaches caches, string capiClusterKey) =>
        caches.HostCache.ByIndex(ResourceCaches.HostsByClaimedCluster, capiClusterKey).Where(IsActiveControlPlane);

    public static bool IsActiveControlPlane(MachineInventory host) =>
        host.Status?.Claim is { ControlPlane: true, Released: not true, MachineRef: not null };

    /// <summary>
    /// The role of <paramref name="host"/>, or null when the cluster has no Internal VIP. The host that gets the
    /// cluster's first role while it is the only control plane runs <c>kubeadm init</c>: it is initializing until
    /// it is provisioned (its apiserver answered), and never again after.
    /// </summary>
    public static HostVipRole? For(BaremetalCluster cluster, MachineInventory host, IEnumerable<MachineInventory> controlPlaneHosts)
    {
        var lb = cluster.Spec?.ControlPlaneLoadBalancer;
        if (lb is not { Type: LoadBalancerType.Internal } || !IPAddress.TryParse(lb.Vip, out var vip))
        {
            return null;
        }

        var others = controlPlaneHosts.Where(h => h.Metadata.Name != host.Metadata.Name).ToList();
        var previous = host.Status?.Claim?.VipRole;
        var initializing = previous is null ? others.Count == 0 : previous.Initializing == true;
        var peers = others
            .Select(h => (Host: h.Metadata.Name!, Address: AddressFacing(h.Status?.Addresses, vip)))
            .Where(p => p.Address is not null)
            .OrderBy(p => p.Host, StringComparer.Ordinal)
            .Select(p => new HostVipPeer { Host = p.Host, Address = p.Address })
            .ToList();
        return new HostVipRole
        {
            Cluster = CacheKeys.Of(cluster),
            Vip = vip.ToString(),
            Port = lb.Port ?? 6443,
            Vrid = lb.Vrid,
            Interface = string.IsNullOrEmpty(lb.Interface) ? null : lb.Interface,
            Peers = peers,
            LeaseNamespace = LeaseNamespace,
            LeaseName = $"{cluster.Metadata.Name}-control-plane-vip",
            Initializing = initializing && host.Status?.State != HostState.Provisioned ? true : null,
        };
    }

    /// <summary>
    /// The address a peer is reached at for VRRP and IPVS: the one on the VIP's subnet, else its first global
    /// address of the VIP's family; null when it has none (it is left out until it reports one).
    /// </summary>
    public static string? AddressFacing(IReadOnlyList<string>? cidrs, IPAddress vip)
    {
        string? fallback = null;
        foreach (var cidr in cidrs ?? [])
        {
            if (!InterfaceAddress.TryParse(cidr, out var parsed) || parsed.Address.AddressFamily != vip.AddressFamily
                || IPAddress.IsLoopback(parsed.Address) || parsed.Address.IsIPv6LinkLocal || parsed.Address.Equals(vip))
            {
                continue;
            }

            if (parsed.SubnetContains(vip))
            {
                return parsed.Address.ToString();
            }

            fallback ??= parsed.Address.ToString();
        }

        return fallback;
    }

    public static bool Same(HostVipRole? left, HostVipRole? right) =>
        JsonSerializer.Serialize(left, ApiJsonContext.Default.HostVipRole) == JsonSerializer.Serialize(right, ApiJsonContext.Default.HostVipRole);
}
