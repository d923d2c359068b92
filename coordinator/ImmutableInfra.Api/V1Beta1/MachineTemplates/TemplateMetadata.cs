using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>Labels and annotations a template puts on the objects made from it (Cluster API's template ObjectMeta).</summary>
public sealed class TemplateMetadata
{
    public Dictionary<string, string>? Labels { get; set; }
    public Dictionary<string, string>? Annotations { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
