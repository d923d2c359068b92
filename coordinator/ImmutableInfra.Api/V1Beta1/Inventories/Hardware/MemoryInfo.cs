using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A host's memory.</summary>
public sealed class MemoryInfo
{
    /// <summary>Usable memory (MemTotal) in bytes.</summary>
    public long? TotalBytes { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
