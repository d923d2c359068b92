using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>The architecture and OS of nodes made from a template, for the autoscaler.</summary>
public sealed class TemplateNodeInfo
{
    public NodeArchitecture? Architecture { get; set; }

    /// <summary>A Go OS name, e.g. linux.</summary>
    public string? OperatingSystem { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
