using System.Text.Json.Serialization;

namespace ImmutableInfra.Enrollment;

/// <summary>Source-generated JSON metadata (no reflection, AOT-safe) for the Ignition config and quoted YAML scalars.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(IgnitionConfig))]
[JsonSerializable(typeof(string))]
internal sealed partial class EnrollmentJsonContext : JsonSerializerContext
{
}
