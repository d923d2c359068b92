using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>
/// What a host must have to be claimed: labels and expressions over its MachineInventory labels, and
/// hardware minimums over its reported inventory. Sizes are Kubernetes quantities (<c>64Gi</c>, <c>500G</c>
/// or plain bytes) because that is how Kubernetes users write sizes everywhere else.
/// </summary>
public sealed class HostSelector
{
    public Dictionary<string, string>? MatchLabels { get; set; }
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }

    /// <summary>Minimum logical CPUs (hardware threads).</summary>
    [JsonPropertyName("minCPU")]
    public int? MinCpu { get; set; }

    /// <summary>Minimum usable memory.</summary>
    public ResourceQuantity? MinMemory { get; set; }

    /// <summary>Minimum size of at least one data disk (a disk that does not hold the OS).</summary>
    public ResourceQuantity? MinDiskSize { get; set; }

    /// <summary>The kind that data disk must be.</summary>
    public DiskKind? DiskKind { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>The label part of this selector, for <see cref="LabelSelector.Matches"/>.</summary>
    public LabelSelector ToLabelSelector() => new() { MatchLabels = MatchLabels, MatchExpressions = MatchExpressions };
}
