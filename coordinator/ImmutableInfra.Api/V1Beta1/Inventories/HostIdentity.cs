using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>What identifies a physical host across reinstalls: SMBIOS UUID, MAC addresses and serial number.</summary>
public sealed class HostIdentity
{
    /// <summary>SMBIOS system UUID, lower case.</summary>
    [JsonPropertyName("systemUUID")]
    public string? SystemUuid { get; set; }

    /// <summary>MAC addresses of the physical NICs, lower case and colon separated.</summary>
    public List<string>? Macs { get; set; }

    public string? Serial { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
