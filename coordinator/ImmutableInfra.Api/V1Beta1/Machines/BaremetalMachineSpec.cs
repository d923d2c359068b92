using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>Where a machine's host comes from and what it must have; also the spec of a machine template.</summary>
public sealed class BaremetalMachineSpec
{
    /// <summary>The MachineInventoryPool (same namespace) the host is claimed from.</summary>
    public LocalObjectReference? PoolRef { get; set; }

    public HostSelector? HostSelector { get; set; }

    /// <summary>Overrides the host's and the pool's wipe policy when this machine releases its host.</summary>
    public WipePolicy? WipePolicy { get; set; }

    /// <summary><c>baremetal://&lt;namespace&gt;/&lt;host&gt;</c>, set by the provider once a host is claimed (contract field).</summary>
    [JsonPropertyName("providerID")]
    public string? ProviderId { get; set; }

    /// <summary>
    /// v1beta1 contract only: a placement the InfraMachine decides. Normally empty, and the owner Machine's
    /// <c>spec.failureDomain</c> applies.
    /// </summary>
    public string? FailureDomain { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
