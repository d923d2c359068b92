using System.Text.Json;
using System.Text.Json.Serialization;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>What the coordinator knows of a host: state, hardware, claim, agent progress and conditions.</summary>
public sealed class MachineInventoryStatus : IStatusWithConditions
{
    public HostState? State { get; set; }
    public HostInventory? Inventory { get; set; }

    /// <summary>The host's addresses in CIDR notation, as its agent last reported them.</summary>
    public List<string>? Addresses { get; set; }

    /// <summary>The host name the OS has now.</summary>
    public string? Hostname { get; set; }

    public HostClaim? Claim { get; set; }

    /// <summary>
    /// When the coordinator last recorded the host's stream as alive. Written on state changes and at most
    /// once per offline grace period, never per heartbeat (writes scale with changes, not with hosts).
    /// </summary>
    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? LastSeen { get; set; }

    public string? AgentVersion { get; set; }

    /// <summary>
    /// The coordinator replica serving the host's stream now; empty when the host has none. A replica that
    /// dies cannot clear it, so the replica's own Lease tells whether it still stands.
    /// </summary>
    public string? ConnectedTo { get; set; }

    /// <summary>The phase the agent last reported: Idle, Provisioning, Provisioned, Resetting or Failed.</summary>
    public string? AgentPhase { get; set; }

    /// <summary>Why the agent's last action failed, as it reported it.</summary>
    public string? FailureReason { get; set; }

    /// <summary>
    /// The generation of the desired state last sent to the agent. Stored here so it survives coordinator
    /// restarts and replica changes: generations stay monotonic per host, as the agent requires.
    /// </summary>
    public long? DesiredGeneration { get; set; }

    /// <summary>The highest desired-state generation the agent has acknowledged.</summary>
    public long? AcknowledgedGeneration { get; set; }

    /// <summary>
    /// Hash of the per-host credential, as <c>sha256:&lt;hex&gt;</c>. Safe to keep here: the credential is
    /// random with full entropy, so its hash can neither be reversed nor guessed, and a hash is not a
    /// credential the agent API accepts. It lives in status because only the coordinator writes status
    /// (RBAC on the subresource), so nobody can set it by editing the spec.
    /// </summary>
    public string? CredentialHash { get; set; }

    /// <summary>When the current credential was issued; a re-key approval older than this is void.</summary>
    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? CredentialIssuedAt { get; set; }

    /// <summary>The <c>spec.rekeyApprovedAt</c> a re-key has used up (each approval allows one).</summary>
    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? RekeyApprovalUsed { get; set; }

    /// <summary>A registration of this host that was refused until an operator decides (approve, rekey or deny).</summary>
    public RekeyRequest? RekeyRequest { get; set; }

    public BootstrapProgress? Bootstrap { get; set; }
    public WipeProgress? Wipe { get; set; }
    public VipStatus? Vip { get; set; }
    public long? ObservedGeneration { get; set; }
    public List<Condition>? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
