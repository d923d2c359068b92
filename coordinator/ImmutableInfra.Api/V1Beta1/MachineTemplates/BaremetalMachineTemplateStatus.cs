using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>
/// What a machine from this template will have, for the cluster autoscaler's scale-from-zero
/// (the optional InfraMachineTemplate <c>status.capacity</c> and <c>status.nodeInfo</c> contract fields).
/// </summary>
public sealed class BaremetalMachineTemplateStatus
{
    /// <summary>Resources by name (cpu, memory, ...) as quantities.</summary>
    public Dictionary<string, ResourceQuantity>? Capacity { get; set; }

    public TemplateNodeInfo? NodeInfo { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
