using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>Picks disks of a host by their stable by-id path or by a filesystem label on them.</summary>
public sealed class DiskSelector
{
    /// <summary>Disk by-id paths as the host's inventory reports them (<c>status.inventory.disks[].byIDPath</c>).</summary>
    public List<string>? ByIDPaths { get; set; }

    /// <summary>Filesystem labels: a disk matches when one of its partitions carries one of them.</summary>
    public List<string>? FilesystemLabels { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>Whether the disk is selected. An empty selector selects nothing: keeping a disk must be asked for.</summary>
    public bool Matches(DiskInfo disk)
    {
        ArgumentNullException.ThrowIfNull(disk);
        if (disk.ByIdPath is { Length: > 0 } path && ByIDPaths?.Contains(path) == true)
        {
            return true;
        }

        return FilesystemLabels is { Count: > 0 }
            && disk.Partitions?.Exists(p => p.Label is { Length: > 0 } label && FilesystemLabels.Contains(label)) == true;
    }
}
