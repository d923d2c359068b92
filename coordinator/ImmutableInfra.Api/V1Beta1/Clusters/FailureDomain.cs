using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A failure domain as the v1beta2 contract lists it: name, control-plane suitability, attributes.</summary>
public sealed class FailureDomain
{
    public string? Name { get; set; }

    /// <summary>Whether control-plane machines may be placed in it.</summary>
    public bool? ControlPlane { get; set; }

    public Dictionary<string, string>? Attributes { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
