using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>The node architectures the autoscaler's scale-from-zero contract names.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NodeArchitecture>))]
public enum NodeArchitecture
{
    [JsonStringEnumMemberName("amd64")]
    Amd64,

    [JsonStringEnumMemberName("arm64")]
    Arm64,

    [JsonStringEnumMemberName("s390x")]
    S390x,

    [JsonStringEnumMemberName("ppc64le")]
    Ppc64le,
}
