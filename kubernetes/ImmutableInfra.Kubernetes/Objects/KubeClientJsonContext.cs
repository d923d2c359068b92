using System.Text.Json.Serialization;

namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>
/// JSON metadata for what the client machinery itself reads and writes (list metadata, Status errors, delete options)
/// and for Leases, with <see cref="KubeJsonContext"/>'s options.
/// </summary>
/// <remarks>
/// Separate from <see cref="KubeJsonContext"/> because a source-generated context roots every kind it lists: a
/// program that only elects on Leases (the node agent's VIP arbiter) would otherwise carry the serializers, code and
/// runtime type data of Nodes, CRDs and Cluster API kinds (docs/benchmarks.md, Agent footprint).
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Lease))]
[JsonSerializable(typeof(ListMeta))]
[JsonSerializable(typeof(KubeStatus))]
[JsonSerializable(typeof(DeleteOptions))]
internal sealed partial class KubeClientJsonContext : JsonSerializerContext
{
}
