using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>
/// Source-generated JSON metadata for the provider's kinds (AOT-safe), with the options the Kubernetes
/// layer requires of every context: camelCase names and nulls omitted.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MachineInventoryPool))]
[JsonSerializable(typeof(MachineInventory))]
[JsonSerializable(typeof(BaremetalCluster))]
[JsonSerializable(typeof(BaremetalMachineTemplate))]
[JsonSerializable(typeof(BaremetalMachine))]
public sealed partial class ApiJsonContext : JsonSerializerContext
{
}
