using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>One disk's wipe: the policy applied, its state and bytes done.</summary>
public sealed class DiskWipeProgress
{
    /// <summary>The disk's by-id path, or its kernel name when it has none.</summary>
    public string? Disk { get; set; }

    public WipePolicy? Policy { get; set; }
    public DiskWipeState? State { get; set; }
    public long? BytesDone { get; set; }
    public long? BytesTotal { get; set; }

    /// <summary>Why the disk was skipped or its wipe failed.</summary>
    public string? Reason { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
