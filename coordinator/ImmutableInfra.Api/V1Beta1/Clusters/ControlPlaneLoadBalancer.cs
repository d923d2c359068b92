using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>How the control-plane endpoint is served: our VRRP + IPVS virtual IP, or something outside.</summary>
public sealed class ControlPlaneLoadBalancer
{
    public LoadBalancerType? Type { get; set; }

    /// <summary>The virtual IP (IPv4 or IPv6 literal); required for <c>Internal</c>.</summary>
    public string? Vip { get; set; }

    /// <summary>The apiserver port behind the VIP; the CRD defaults it to 6443.</summary>
    public int? Port { get; set; }

    /// <summary>VRRP virtual router id, 1-255, unique per L2 segment; required for <c>Internal</c>.</summary>
    public int? Vrid { get; set; }

    /// <summary>The interface to hold the VIP on; absent means the one whose subnet holds the VIP.</summary>
    public string? Interface { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
