using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Inventory;

/// <summary>Reads the whole host inventory under a root and stamps its fingerprint.</summary>
internal sealed class HostInventoryReader(HostRoot root, INetworkAddressSource addresses)
{
    public HostInventory Read() => Snapshot().Inventory;

    /// <summary>The inventory plus the disk records the wiper needs.</summary>
    public InventorySnapshot Snapshot()
    {
        var cpuReader = new CpuReader(root);
        var cpu = cpuReader.Read();
        var disks = new DiskInventoryReader(root).Read();
        var inventory = new HostInventory
        {
            Cpu = cpu,
            System = new DmiReader(root).Read(cpuReader.HasHypervisorFlag),
            Memory = new MemoryReader(root).Read(),
            Os = new OsReleaseReader(root).Read(),
        };
        inventory.Nics.AddRange(new NicReader(root, addresses).Read());
        inventory.Disks.AddRange(disks.Select(d => d.Info));
        inventory.Fingerprint = InventoryFingerprint.Compute(inventory);
        return new InventorySnapshot(inventory, disks);
    }
}

/// <summary>An inventory as sent to the coordinator, with the disk records behind it.</summary>
internal sealed record InventorySnapshot(HostInventory Inventory, IReadOnlyList<DiskRecord> Disks);
