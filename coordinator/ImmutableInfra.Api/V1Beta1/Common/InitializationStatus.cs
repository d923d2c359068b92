using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>The v1beta2 contract's <c>status.initialization</c> of an InfraCluster or InfraMachine.</summary>
public sealed class InitializationStatus
{
    /// <summary>True once the infrastructure is fully provisioned; Cluster API never expects it to go back.</summary>
    public bool? Provisioned { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
