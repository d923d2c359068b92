using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>
/// The control-plane VIP duty of a host claimed by a control-plane machine of an Internal-load-balancer
/// cluster: what keepalived and the Lease arbiter on the host need. Kept in the claim so every replica
/// sends the same role, and rewritten (with a new desired generation) when control-plane membership changes.
/// </summary>
public sealed class HostVipRole
{
    /// <summary>"namespace/name" of the BaremetalCluster.</summary>
    public string? Cluster { get; set; }

    /// <summary>The virtual IP (IPv4 or IPv6 literal).</summary>
    public string? Vip { get; set; }

    /// <summary>The apiserver port behind the VIP.</summary>
    public int? Port { get; set; }

    /// <summary>VRRP virtual router id, 1-255.</summary>
    public int? Vrid { get; set; }

    /// <summary>The interface to hold the VIP on; absent means the one whose subnet holds the VIP.</summary>
    public string? Interface { get; set; }

    /// <summary>The other control-plane hosts: unicast VRRP peers and IPVS real servers.</summary>
    public List<HostVipPeer>? Peers { get; set; }

    /// <summary>Namespace of the arbiter Lease in the workload cluster.</summary>
    public string? LeaseNamespace { get; set; }

    /// <summary>Name of the arbiter Lease in the workload cluster.</summary>
    public string? LeaseName { get; set; }

    /// <summary>True while the host runs the cluster's first <c>kubeadm init</c>: it may hold the VIP by VRRP alone until its apiserver answers.</summary>
    public bool? Initializing { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Another control-plane host of the cluster and its address on the VIP's subnet.</summary>
public sealed class HostVipPeer
{
    /// <summary>The peer's MachineInventory name.</summary>
    public string? Host { get; set; }

    /// <summary>The peer's address (no prefix length).</summary>
    public string? Address { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
