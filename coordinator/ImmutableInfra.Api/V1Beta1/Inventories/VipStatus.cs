using System.Text.Json;
using System.Text.Json.Serialization;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A control-plane host's view of its cluster's VIP: VRRP role, arbiter state and Lease holder.</summary>
public sealed class VipStatus
{
    /// <summary>namespace/name of the BaremetalCluster whose VIP this is.</summary>
    public string? Cluster { get; set; }

    public VrrpState? VrrpState { get; set; }

    /// <summary>The agent's arbiter state machine's current state.</summary>
    public string? ArbiterState { get; set; }

    /// <summary>holderIdentity of the VIP Lease as the host last read it.</summary>
    public string? LeaseHolder { get; set; }

    /// <summary>leaseTransitions of the VIP Lease as last read: the fencing token.</summary>
    public long? LeaseTransitions { get; set; }

    /// <summary>When this host last changed VRRP role.</summary>
    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastFailoverTime { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
