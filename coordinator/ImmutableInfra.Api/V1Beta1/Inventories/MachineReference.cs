using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>
/// A reference to one BaremetalMachine. The uid tells a deleted-and-recreated machine of the same name
/// from the one that claimed the host.
/// </summary>
public sealed class MachineReference
{
    public string? Namespace { get; set; }
    public string? Name { get; set; }
    public string? Uid { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
