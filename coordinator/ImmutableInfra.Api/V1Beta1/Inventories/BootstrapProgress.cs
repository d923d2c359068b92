using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>How far a host is through its machine's bootstrap data, as its agent reports.</summary>
public sealed class BootstrapProgress
{
    /// <summary>The uid of the BaremetalMachine whose bootstrap data this is.</summary>
    [JsonPropertyName("machineUID")]
    public string? MachineUid { get; set; }

    /// <summary>1-based index of the step running or last finished; 0 before the first.</summary>
    public int? Step { get; set; }

    public int? TotalSteps { get; set; }

    /// <summary>A short name of the step; never file contents.</summary>
    public string? StepName { get; set; }

    /// <summary>Cluster API's bootstrap sentinel file exists on the host.</summary>
    public bool? Complete { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
