using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>The template a BaremetalMachineTemplate holds.</summary>
public sealed class BaremetalMachineTemplateSpec
{
    public BaremetalMachineTemplateResource? Template { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
