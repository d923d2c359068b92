using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A machine address as Cluster API's <c>MachineAddress</c> has it: a type and an address.</summary>
public sealed class MachineAddress
{
    public MachineAddressType? Type { get; set; }
    public string? Address { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
