using System.Text.Json;
using System.Text.Json.Serialization;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>
/// The BaremetalMachine a host is bound to, since when, and what its agent needs to serve it. The claim
/// carries everything the desired state is built from, so any coordinator replica can tell the agent
/// what to do from this object alone, without the machine's objects in its cache.
/// </summary>
public sealed class HostClaim
{
    public MachineReference? MachineRef { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? ClaimedAt { get; set; }

    /// <summary>"namespace/name" of the CAPI Cluster the machine belongs to.</summary>
    public string? Cluster { get; set; }

    /// <summary>The Secret (machine's namespace) holding the bootstrap data; read only when sent to the host.</summary>
    public string? BootstrapDataSecret { get; set; }

    /// <summary>Whether the machine is a control-plane machine.</summary>
    public bool? ControlPlane { get; set; }

    /// <summary>The failure domain the machine was placed in.</summary>
    public string? FailureDomain { get; set; }

    /// <summary>Set when the machine is deleted: the host is reset with <see cref="WipePolicy"/> and then freed.</summary>
    public bool? Released { get; set; }

    /// <summary>The data-disk wipe policy for the reset, resolved from machine, host and pool when released.</summary>
    public WipePolicy? WipePolicy { get; set; }

    /// <summary>The control-plane VIP duty; only on control-plane machines of clusters with an Internal load balancer.</summary>
    public HostVipRole? VipRole { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
