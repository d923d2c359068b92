using System.Text.Json;
using System.Text.Json.Serialization;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>The BaremetalMachine a host is bound to, and since when.</summary>
public sealed class HostClaim
{
    public MachineReference? MachineRef { get; set; }

    [JsonConverter(typeof(KubeTimeConverter))]
    public DateTimeOffset? ClaimedAt { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
