using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Api.Tests.Inventories;

public sealed class DiskSelectorTests
{
    private static readonly DiskInfo Data = new()
    {
        Name = "sdb",
        ByIdPath = "/dev/disk/by-id/wwn-0x5000c500a1b2c3d4",
        Partitions = [new PartitionInfo { Name = "sdb1", Label = "longhorn" }],
    };

    [Fact]
    public void DiskSelector_ByIdPath_Matches()
    {
        Assert.True(new DiskSelector { ByIDPaths = ["/dev/disk/by-id/wwn-0x5000c500a1b2c3d4"] }.Matches(Data));
    }

    [Fact]
    public void DiskSelector_PartitionFilesystemLabel_Matches()
    {
        Assert.True(new DiskSelector { FilesystemLabels = ["longhorn"] }.Matches(Data));
        Assert.False(new DiskSelector { FilesystemLabels = ["ceph"] }.Matches(Data));
    }

    [Fact]
    public void DiskSelector_Empty_KeepsNothing()
    {
        Assert.False(new DiskSelector().Matches(Data));
    }
}
