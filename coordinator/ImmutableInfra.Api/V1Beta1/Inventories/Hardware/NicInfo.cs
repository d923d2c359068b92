using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>One network interface of a host.</summary>
public sealed class NicInfo
{
    public string? Name { get; set; }
    public string? Mac { get; set; }
    public int? Mtu { get; set; }

    /// <summary>Link speed; 0 when unknown or no link.</summary>
    public int? SpeedMbps { get; set; }

    public bool? Carrier { get; set; }

    /// <summary>A software interface (bridge, bond, veth, VLAN, tunnel).</summary>
    public bool? Virtual { get; set; }

    /// <summary>Addresses in CIDR notation.</summary>
    public List<string>? Addresses { get; set; }

    public string? Driver { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
