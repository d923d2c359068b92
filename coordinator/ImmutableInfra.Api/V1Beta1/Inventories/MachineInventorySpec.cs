using System.Text.Json;
using System.Text.Json.Serialization;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A host's identity and the settings an operator controls.</summary>
public sealed class MachineInventorySpec
{
    public HostIdentity? Identity { get; set; }

    /// <summary>The pool the host registered through. Other pools may still select it by name or labels.</summary>
    public LocalObjectReference? PoolRef { get; set; }

    /// <summary>An operator's approval of a host whose pool does not auto-approve; ignored otherwise.</summary>
    public bool? Approved { get; set; }

    /// <summary>
    /// An operator's refusal: no registrant matching this host's identity is enrolled or re-keyed, and its agent may
    /// not sync, until an operator approves it again.
    /// </summary>
    public bool? Denied { get; set; }

    /// <summary>
    /// An operator's approval of one re-key: the next registrant with this host's identity gets a new credential
    /// without presenting the old one. Used up by that re-key (<c>status.rekeyApprovalUsed</c>), void once any later
    /// credential is issued, and void an hour after it was given.
    /// </summary>
    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? RekeyApprovedAt { get; set; }

    /// <summary>Labels put on the Kubernetes Node this host becomes.</summary>
    public Dictionary<string, string>? NodeLabels { get; set; }

    /// <summary>The Cluster API failure domain the host is in.</summary>
    public string? FailureDomain { get; set; }

    /// <summary>Cordon: the host is not claimed while true; a host already claimed keeps its machine.</summary>
    public bool? Maintenance { get; set; }

    /// <summary>Overrides the pool's wipe policy for this host.</summary>
    public WipePolicy? WipePolicy { get; set; }

    /// <summary>Disks of this host kept across machines, in addition to the pool's persistent-disk selector.</summary>
    public List<string>? PersistentDisks { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
