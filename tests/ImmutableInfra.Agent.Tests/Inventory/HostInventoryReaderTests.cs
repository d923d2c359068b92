using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Simulation;
using ImmutableInfra.Agent.Tests.Inventory.Fixtures;
using ImmutableInfra.Contract.V1;
using NSubstitute;

namespace ImmutableInfra.Agent.Tests.Inventory;

public sealed class HostInventoryReaderTests
{
    private static HostInventory Read(FixtureTree tree, INetworkAddressSource? addresses = null) =>
        new HostInventoryReader(new HostRoot(tree.Root), addresses ?? Substitute.For<INetworkAddressSource>()).Read();

    [Fact]
    public void Read_NvmeServer_ReportsEveryField()
    {
        using var tree = HostFixtures.NvmeServer();
        var addresses = Substitute.For<INetworkAddressSource>();
        addresses.AddressesOf("eno1").Returns(["10.0.0.11/24", "2001:db8::11/64"]);
        addresses.AddressesOf(Arg.Is<string>(n => n != "eno1")).Returns([]);

        var inventory = Read(tree, addresses);

        Assert.Equal(new SystemInfo
        {
            Vendor = "Dell Inc.", Product = "PowerEdge R650", Serial = "7XK2LM3",
            SystemUuid = "4c4c4544-0042-3510-8036-b4c04f565432", BiosVersion = "1.6.5", Virtual = false,
        }, inventory.System);
        Assert.Equal(new CpuInfo { Model = "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", Sockets = 2, Cores = 4, Threads = 8, Architecture = "x86_64" }, inventory.Cpu);
        Assert.Equal(263921380UL * 1024, inventory.Memory.TotalBytes);
        Assert.Equal(new OsInfo { Name = "openSUSE MicroOS", Version = "20251120", Kernel = "6.11.8-1-default" }, inventory.Os);

        Assert.Equal(["br0", "eno1", "eno2"], inventory.Nics.Select(n => n.Name));
        var br0 = new NicInfo { Name = "br0", Mac = "b4:96:91:aa:bb:01", Mtu = 9000, SpeedMbps = 0, Carrier = true, Virtual = true, Driver = "" };
        var eno1 = new NicInfo { Name = "eno1", Mac = "b4:96:91:aa:bb:01", Mtu = 9000, SpeedMbps = 10000, Carrier = true, Virtual = false, Driver = "ixgbe" };
        eno1.Addresses.Add(["10.0.0.11/24", "2001:db8::11/64"]);
        var eno2 = new NicInfo { Name = "eno2", Mac = "b4:96:91:aa:bb:02", Mtu = 1500, SpeedMbps = 0, Carrier = false, Virtual = false, Driver = "ixgbe" };
        Assert.Equal([br0, eno1, eno2], inventory.Nics);

        Assert.Equal(["nvme0n1", "nvme1n1"], inventory.Disks.Select(d => d.Name));
        InventoryAssert.Disk(new DiskInfo
        {
            Name = "nvme0n1", ByIdPath = "/dev/disk/by-id/nvme-SAMSUNG_MZQL2960HCJR-00A07_S64FNE0R800123", SizeBytes = 1875385008UL * 512,
            LogicalSectorSize = 512, PhysicalSectorSize = 512, Rotational = false, Transport = DiskTransport.Nvme,
            Model = "SAMSUNG MZQL2960HCJR-00A07", Serial = "S64FNE0R800123", Wwn = "eui.36344630528001230025384500000001",
            Removable = false, ReadOnly = false, Mounted = true, HoldsOs = true,
        }.WithSignatures("gpt").WithPartitions(
            new PartitionInfo { Name = "nvme0n1p1", SizeBytes = 1048576UL * 512, Filesystem = "vfat", Label = "EFI", Mountpoint = "/boot/efi" },
            new PartitionInfo { Name = "nvme0n1p2", SizeBytes = 1874334351UL * 512, Filesystem = "btrfs", Label = "ROOT", Mountpoint = "/" }), inventory.Disks[0]);
        InventoryAssert.Disk(new DiskInfo
        {
            Name = "nvme1n1", ByIdPath = "/dev/disk/by-id/nvme-Micron_7450_MTFDKCC3T8TFR_2243400A1B2C", SizeBytes = 7501476528UL * 512,
            LogicalSectorSize = 4096, PhysicalSectorSize = 4096, Rotational = false, Transport = DiskTransport.Nvme,
            Model = "Micron 7450 MTFDKCC3T8TFR", Serial = "2243400A1B2C", Wwn = "eui.000000000000000100a0750140a1b2c3",
            Removable = false, ReadOnly = false, Mounted = false, HoldsOs = false,
        }, inventory.Disks[1]);
        Assert.Equal(64, inventory.Fingerprint.Length);
    }

    [Fact]
    public void Read_RaidServer_TracesLvmRootToSataDiskAndClassifiesMegaraidDisksAsSas()
    {
        using var tree = HostFixtures.RaidServer();

        var inventory = Read(tree);

        Assert.Equal(new SystemInfo
        {
            Vendor = "Supermicro", Product = "SYS-1029U-TRT", Serial = "S123456X9",
            SystemUuid = "00000000-0000-0000-0000-ac1f6b012345", BiosVersion = "3.4", Virtual = false,
        }, inventory.System);
        Assert.Equal(new CpuInfo { Model = "Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz", Sockets = 1, Cores = 4, Threads = 8, Architecture = "x86_64" }, inventory.Cpu);
        Assert.Equal(131595612UL * 1024, inventory.Memory.TotalBytes);
        Assert.Equal(["sda", "sdb", "sdc"], inventory.Disks.Select(d => d.Name));
        InventoryAssert.Disk(new DiskInfo
        {
            Name = "sda", ByIdPath = "/dev/disk/by-id/wwn-0x55cd2e414f1a2b3c", SizeBytes = 937703088UL * 512,
            LogicalSectorSize = 512, PhysicalSectorSize = 4096, Rotational = false, Transport = DiskTransport.Sata,
            Model = "INTEL SSDSC2KB480G8", Serial = "PHYF912300AB480BGN", Wwn = "0x55cd2e414f1a2b3c", Mounted = true, HoldsOs = true,
        }.WithSignatures("gpt").WithPartitions(
            new PartitionInfo { Name = "sda1", SizeBytes = 1048576UL * 512, Filesystem = "vfat", Mountpoint = "/boot/efi" },
            new PartitionInfo { Name = "sda2", SizeBytes = 936652800UL * 512, Filesystem = "LVM2_member" }), inventory.Disks[0]);
        InventoryAssert.Disk(new DiskInfo
        {
            Name = "sdb", ByIdPath = "/dev/disk/by-id/wwn-0x5000c500d0a1b2c3", SizeBytes = 23437770752UL * 512,
            LogicalSectorSize = 512, PhysicalSectorSize = 4096, Rotational = true, Transport = DiskTransport.Sas,
            Model = "ST12000NM004J", Serial = "ZJV4A1B2", Wwn = "0x5000c500d0a1b2c3", Mounted = false, HoldsOs = false,
        }, inventory.Disks[1]);
        InventoryAssert.Disk(new DiskInfo
        {
            Name = "sdc", ByIdPath = "/dev/disk/by-id/wwn-0x5000c500d0a1b2d4", SizeBytes = 23437770752UL * 512,
            LogicalSectorSize = 512, PhysicalSectorSize = 4096, Rotational = true, Transport = DiskTransport.Sas,
            Model = "ST12000NM004J", Serial = "ZJV4A1C3", Wwn = "0x5000c500d0a1b2d4", Mounted = true, HoldsOs = false,
        }.WithSignatures("gpt").WithPartitions(
            new PartitionInfo { Name = "sdc1", SizeBytes = 23437768704UL * 512, Filesystem = "xfs", Label = "scratch", Mountpoint = "/srv/scratch" }), inventory.Disks[2]);
    }

    [Fact]
    public void Read_VirtioVm_MarksVirtualAndReadsVirtioDisks()
    {
        using var tree = HostFixtures.VirtioVm();

        var inventory = Read(tree);

        Assert.Equal(new SystemInfo
        {
            Vendor = "QEMU", Product = "Standard PC (Q35 + ICH9, 2009)", Serial = "",
            SystemUuid = "8e3b1b1a-5c0e-4b5d-9c3f-0123456789ab", BiosVersion = "1.16.3-debian-1.16.3-2", Virtual = true,
        }, inventory.System);
        Assert.Equal(new CpuInfo { Model = "AMD EPYC-Milan Processor", Sockets = 1, Cores = 4, Threads = 4, Architecture = "x86_64" }, inventory.Cpu);
        Assert.Equal(8138604UL * 1024, inventory.Memory.TotalBytes);
        Assert.Equal([new NicInfo { Name = "enp1s0", Mac = "52:54:00:12:34:56", Mtu = 1500, SpeedMbps = 0, Carrier = true, Driver = "virtio_net" }], inventory.Nics);
        InventoryAssert.Disk(new DiskInfo
        {
            Name = "vda", ByIdPath = "", SizeBytes = 41943040UL * 512, LogicalSectorSize = 512, PhysicalSectorSize = 512,
            Transport = DiskTransport.Virtio, Mounted = true, HoldsOs = true,
        }.WithSignatures("gpt").WithPartitions(
            new PartitionInfo { Name = "vda1", SizeBytes = 2048UL * 512 },
            new PartitionInfo { Name = "vda2", SizeBytes = 41938911UL * 512, Filesystem = "ext4", Label = "root", Mountpoint = "/" }), inventory.Disks[0]);
        InventoryAssert.Disk(new DiskInfo
        {
            Name = "vdb", ByIdPath = "/dev/disk/by-id/virtio-data-1", SizeBytes = 209715200UL * 512, LogicalSectorSize = 512, PhysicalSectorSize = 512,
            Rotational = true, Transport = DiskTransport.Virtio, Serial = "data-1",
        }.WithSignatures("ext4"), inventory.Disks[1]);
    }

    [Fact]
    public void Read_HostWithUsbStick_ReportsRemovableUsbDisk()
    {
        using var tree = HostFixtures.UsbStickHost();

        var inventory = Read(tree);

        Assert.Equal(new CpuInfo { Model = "Intel(R) Core(TM) i5-10500T CPU @ 2.30GHz", Sockets = 1, Cores = 6, Threads = 12, Architecture = "x86_64" }, inventory.Cpu);
        Assert.Equal(["sda", "sdb"], inventory.Disks.Select(d => d.Name));
        InventoryAssert.Disk(new DiskInfo
        {
            Name = "sda", ByIdPath = "/dev/disk/by-id/ata-Samsung_SSD_870_EVO_250GB_S6PENL0T123456A", SizeBytes = 500118192UL * 512,
            LogicalSectorSize = 512, PhysicalSectorSize = 512, Transport = DiskTransport.Sata, Model = "Samsung SSD 870 EVO 250GB",
            Serial = "S6PENL0T123456A", Mounted = true, HoldsOs = true,
        }.WithSignatures("gpt").WithPartitions(new PartitionInfo { Name = "sda1", SizeBytes = 500116111UL * 512, Filesystem = "ext4", Mountpoint = "/" }), inventory.Disks[0]);
        InventoryAssert.Disk(new DiskInfo
        {
            Name = "sdb", ByIdPath = "/dev/disk/by-id/usb-SanDisk_Ultra_4C530001234567891234-0:0", SizeBytes = 60063744UL * 512,
            LogicalSectorSize = 512, PhysicalSectorSize = 512, Transport = DiskTransport.Usb, Model = "Ultra",
            Serial = "4C530001234567891234", Removable = true,
        }.WithSignatures("dos").WithPartitions(new PartitionInfo { Name = "sdb1", SizeBytes = 60061696UL * 512, Filesystem = "exfat", Label = "Ventoy" }), inventory.Disks[1]);
    }

    [Fact]
    public void Fingerprint_SameHost_IsStable_AndChangesWithInventory()
    {
        using var tree = HostFixtures.VirtioVm();
        var first = Read(tree);
        var second = Read(tree);
        tree.File("/proc/meminfo", "MemTotal:       16277208 kB\n");
        var grown = Read(tree);

        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.NotEqual(first.Fingerprint, grown.Fingerprint);
        Assert.Equal(first.Fingerprint, InventoryFingerprint.Compute(first));
    }
}
