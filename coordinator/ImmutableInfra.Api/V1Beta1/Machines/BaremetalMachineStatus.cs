using System.Text.Json;
using System.Text.Json.Serialization;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A BaremetalMachine's status, per the Cluster API InfraMachine contract (v1beta2, and v1beta1's <c>ready</c>).</summary>
public sealed class BaremetalMachineStatus : IStatusWithConditions
{
    /// <summary>v1beta2 contract: <c>initialization.provisioned</c> once the host has become the machine's node.</summary>
    public InitializationStatus? Initialization { get; set; }

    /// <summary>v1beta1 contract: the same fact as <c>initialization.provisioned</c>, for cores before 1.11.</summary>
    public bool? Ready { get; set; }

    /// <summary>Contract field: the host's addresses, surfaced on the Machine.</summary>
    public List<MachineAddress>? Addresses { get; set; }

    /// <summary>v1beta2 contract: the failure domain the machine was placed in (its host's).</summary>
    public string? FailureDomain { get; set; }

    /// <summary>The MachineInventory this machine claimed.</summary>
    public HostReference? HostRef { get; set; }

    public MachinePhase? Phase { get; set; }

    /// <summary>The bootstrap step the host reports, e.g. "3/12 runcmd 2".</summary>
    public string? BootstrapStep { get; set; }

    public long? ObservedGeneration { get; set; }
    public List<Condition>? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
