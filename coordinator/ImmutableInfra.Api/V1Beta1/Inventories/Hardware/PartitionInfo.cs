using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>One partition of a disk.</summary>
public sealed class PartitionInfo
{
    public string? Name { get; set; }
    public long? SizeBytes { get; set; }
    public string? Filesystem { get; set; }
    public string? Label { get; set; }
    public string? Mountpoint { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
