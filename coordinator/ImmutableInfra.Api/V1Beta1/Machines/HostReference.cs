using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A reference to a MachineInventory in the machine's namespace; the uid tells a re-created host apart.</summary>
public sealed class HostReference
{
    public string? Name { get; set; }
    public string? Uid { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
