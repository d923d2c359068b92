using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Inventory;

/// <summary>A data-disk candidate: the contract's DiskInfo plus what the wiper needs to act on it.</summary>
internal sealed record DiskRecord(DiskInfo Info, string DevicePath, IReadOnlyList<string> PartitionDevicePaths, bool SupportsDiscard)
{
    /// <summary>How wipe requests name the disk: its by-id path, else its kernel name.</summary>
    public string Identity => Info.ByIdPath.Length > 0 ? Info.ByIdPath : Info.Name;
}
