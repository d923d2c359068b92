using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>One block device of a host.</summary>
public sealed class DiskInfo
{
    /// <summary>Kernel name, e.g. nvme0n1 or sda.</summary>
    public string? Name { get; set; }

    /// <summary>The most stable /dev/disk/by-id path; wipes and persistent-disk lists name disks by it.</summary>
    [JsonPropertyName("byIDPath")]
    public string? ByIdPath { get; set; }

    public long? SizeBytes { get; set; }
    public int? LogicalSectorSize { get; set; }
    public int? PhysicalSectorSize { get; set; }
    public bool? Rotational { get; set; }
    public DiskTransport? Transport { get; set; }
    public string? Model { get; set; }
    public string? Serial { get; set; }

    /// <summary>World Wide Name, when the device has one.</summary>
    public string? Wwn { get; set; }

    public bool? Removable { get; set; }
    public bool? ReadOnly { get; set; }
    public List<PartitionInfo>? Partitions { get; set; }

    /// <summary>Filesystem or partition-table signatures on the whole disk.</summary>
    public List<string>? Signatures { get; set; }

    public bool? Mounted { get; set; }

    /// <summary>The disk holds the running OS; it is never wiped.</summary>
    [JsonPropertyName("holdsOS")]
    public bool? HoldsOs { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
