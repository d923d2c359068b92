using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>The address types the Cluster API contract accepts in <c>status.addresses</c>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MachineAddressType>))]
public enum MachineAddressType
{
    Hostname,
    ExternalIP,
    InternalIP,
    ExternalDNS,
    InternalDNS,
}
