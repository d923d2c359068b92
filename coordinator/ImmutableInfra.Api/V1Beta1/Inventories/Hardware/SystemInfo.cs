using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A host's DMI facts.</summary>
public sealed class SystemInfo
{
    public string? Vendor { get; set; }
    public string? Product { get; set; }
    public string? Serial { get; set; }

    [JsonPropertyName("systemUUID")]
    public string? SystemUuid { get; set; }

    public string? BiosVersion { get; set; }

    /// <summary>The host looks like a virtual machine.</summary>
    public bool? Virtual { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
