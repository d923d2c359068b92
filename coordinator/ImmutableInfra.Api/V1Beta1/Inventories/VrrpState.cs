using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>The VRRP role keepalived reports on a host.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VrrpState>))]
public enum VrrpState
{
    Init,
    Backup,
    Master,
    Fault,
    Stopped,
}
