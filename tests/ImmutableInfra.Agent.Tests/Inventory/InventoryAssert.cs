using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Tests.Inventory;

/// <summary>Compares a whole DiskInfo field by field, so a failure names the field.</summary>
internal static class InventoryAssert
{
    public static void Disk(DiskInfo expected, DiskInfo actual)
    {
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal((expected.Name, expected.ByIdPath), (actual.Name, actual.ByIdPath));
        Assert.Equal((expected.Name, expected.SizeBytes), (actual.Name, actual.SizeBytes));
        Assert.Equal((expected.Name, expected.LogicalSectorSize, expected.PhysicalSectorSize), (actual.Name, actual.LogicalSectorSize, actual.PhysicalSectorSize));
        Assert.Equal((expected.Name, expected.Rotational), (actual.Name, actual.Rotational));
        Assert.Equal((expected.Name, expected.Transport), (actual.Name, actual.Transport));
        Assert.Equal((expected.Name, expected.Model), (actual.Name, actual.Model));
        Assert.Equal((expected.Name, expected.Serial), (actual.Name, actual.Serial));
        Assert.Equal((expected.Name, expected.Wwn), (actual.Name, actual.Wwn));
        Assert.Equal((expected.Name, expected.Removable, expected.ReadOnly), (actual.Name, actual.Removable, actual.ReadOnly));
        Assert.Equal(expected.Signatures, actual.Signatures);
        Assert.Equal((expected.Name, expected.Mounted), (actual.Name, actual.Mounted));
        Assert.Equal((expected.Name, expected.HoldsOs), (actual.Name, actual.HoldsOs));
        Assert.Equal(expected.Partitions, actual.Partitions);
        Assert.Equal(expected, actual);
    }

    public static DiskInfo WithPartitions(this DiskInfo disk, params PartitionInfo[] partitions)
    {
        disk.Partitions.AddRange(partitions);
        return disk;
    }

    public static DiskInfo WithSignatures(this DiskInfo disk, params string[] signatures)
    {
        disk.Signatures.AddRange(signatures);
        return disk;
    }
}
