using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>What each machine made from a template gets: metadata to add and a BaremetalMachine spec.</summary>
public sealed class BaremetalMachineTemplateResource
{
    public TemplateMetadata? Metadata { get; set; }
    public BaremetalMachineSpec? Spec { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
