using System.Text.Json.Serialization;

namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>
/// Source-generated JSON metadata for the built-in kinds (AOT-safe); the client machinery uses the smaller
/// <see cref="KubeClientJsonContext"/>. Contexts for other kinds must use
/// the same options: camelCase names and nulls omitted.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(KubeNamespace))]
[JsonSerializable(typeof(Secret))]
[JsonSerializable(typeof(ConfigMap))]
[JsonSerializable(typeof(KubeEvent))]
[JsonSerializable(typeof(Node))]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(CustomResourceDefinition))]
[JsonSerializable(typeof(CapiCluster))]
[JsonSerializable(typeof(CapiMachine))]
[JsonSerializable(typeof(ListMeta))]
[JsonSerializable(typeof(KubeStatus))]
[JsonSerializable(typeof(DeleteOptions))]
public sealed partial class KubeJsonContext : JsonSerializerContext
{
}
