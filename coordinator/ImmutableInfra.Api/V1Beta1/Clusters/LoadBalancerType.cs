using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>Who serves the control-plane endpoint.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LoadBalancerType>))]
public enum LoadBalancerType
{
    /// <summary>The control-plane hosts hold a virtual IP (keepalived VRRP + IPVS, arbitrated by a Lease).</summary>
    Internal,

    /// <summary>A load balancer outside the provider; the provider only records its endpoint.</summary>
    External,
}
