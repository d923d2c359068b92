using ImmutableInfra.Agent.Simulation;

namespace ImmutableInfra.Agent.Tests.Inventory.Fixtures;

/// <summary>The hosts the inventory tests read: shapes taken from real machines' sysfs and udev data.</summary>
internal static class HostFixtures
{
    public static readonly DiskFixture NvmeOsDisk = new(
        "nvme0n1", "pci0000:00/0000:00:1d.0/0000:3b:00.0/nvme/nvme0/nvme0n1", "259:0", 1875385008,
        "S:disk/by-id/nvme-eui.36344630528001230025384500000001\nS:disk/by-id/nvme-SAMSUNG_MZQL2960HCJR-00A07_S64FNE0R800123\n"
        + "S:disk/by-path/pci-0000:3b:00.0-nvme-1\nE:ID_SERIAL=SAMSUNG MZQL2960HCJR-00A07_S64FNE0R800123\nE:ID_SERIAL_SHORT=S64FNE0R800123\n"
        + "E:ID_WWN=eui.36344630528001230025384500000001\nE:ID_MODEL=SAMSUNG MZQL2960HCJR-00A07\nE:ID_PATH=pci-0000:3b:00.0-nvme-1\n"
        + "E:ID_PART_TABLE_TYPE=gpt\nE:ID_PART_TABLE_UUID=1b4e28ba-2fa1-11d2-883f-0016d3cca427\n")
    {
        SysfsModel = "SAMSUNG MZQL2960HCJR-00A07              ",
        SysfsSerial = "S64FNE0R800123      ",
        DiscardMaxBytes = 2199023255040,
    };

    public static readonly DiskFixture NvmeDataDisk = new(
        "nvme1n1", "pci0000:00/0000:00:1d.4/0000:3c:00.0/nvme/nvme1/nvme1n1", "259:3", 7501476528,
        "S:disk/by-id/nvme-Micron_7450_MTFDKCC3T8TFR_2243400A1B2C\nS:disk/by-id/nvme-eui.000000000000000100a0750140a1b2c3\n"
        + "E:ID_SERIAL=Micron_7450_MTFDKCC3T8TFR_2243400A1B2C\nE:ID_SERIAL_SHORT=2243400A1B2C\nE:ID_WWN=eui.000000000000000100a0750140a1b2c3\n"
        + "E:ID_MODEL=Micron_7450_MTFDKCC3T8TFR\nE:ID_PATH=pci-0000:3c:00.0-nvme-1\n")
    {
        Physical = 4096,
        Logical = 4096,
        DiscardMaxBytes = 2199023255040,
    };

    public static FixtureTree NvmeServer()
    {
        var tree = new FixtureTree()
            .Dmi("Dell Inc.", "PowerEdge R650", "7XK2LM3", "4C4C4544-0042-3510-8036-B4C04F565432", "1.6.5")
            .Cpus("Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", sockets: 2, coresPerSocket: 2, threadsPerCore: 2)
            .Memory(263921380)
            .OsRelease("openSUSE MicroOS", "20251120", "6.11.8-1-default")
            .PhysicalNic("eno1", "B4:96:91:AA:BB:01", 9000, "10000", carrier: true, "pci0000:00/0000:00:1c.0/0000:19:00.0", "ixgbe")
            .PhysicalNic("eno2", "B4:96:91:AA:BB:02", 1500, "-1", carrier: false, "pci0000:00/0000:00:1c.0/0000:19:00.1", "ixgbe")
            .VirtualNic("br0", "b4:96:91:aa:bb:01", 9000)
            .Disk(NvmeOsDisk)
            .Partition(NvmeOsDisk, "nvme0n1p1", "259:1", 1048576, "E:ID_FS_TYPE=vfat\nE:ID_FS_LABEL=EFI\n")
            .Partition(NvmeOsDisk, "nvme0n1p2", "259:2", 1874334351, "E:ID_FS_TYPE=btrfs\nE:ID_FS_LABEL=ROOT\n")
            .Disk(NvmeDataDisk)
            .VirtualBlock("loop0", "7:0", 204800)
            .VirtualBlock("zram0", "252:0", 8388608)
            .VirtualBlock("nbd0", "43:0", 0)
            .VirtualBlock("ram0", "1:0", 8192);
        // MicroOS roots are btrfs subvolumes: the mount carries an anonymous 0:N number, only the source names the partition.
        return tree.MountInfo(
            "22 1 0:31 /@/.snapshots/1/snapshot / ro,relatime shared:1 - btrfs /dev/nvme0n1p2 ro,subvol=/@/.snapshots/1/snapshot",
            "23 22 0:31 /@/var /var rw,relatime shared:2 - btrfs /dev/nvme0n1p2 rw,subvol=/@/var",
            "24 22 259:1 / /boot/efi rw,relatime shared:3 - vfat /dev/nvme0n1p1 rw",
            "25 22 0:5 / /dev rw,nosuid shared:4 - devtmpfs devtmpfs rw",
            "26 22 7:0 / /var/lib/snapd/snap/core rw - squashfs /dev/loop0 ro");
    }

    public static readonly DiskFixture SataOsDisk = new(
        "sda", "pci0000:00/0000:00:17.0/ata1/host0/target0:0:0/0:0:0:0/block/sda", "8:0", 937703088,
        "S:disk/by-id/ata-INTEL_SSDSC2KB480G8_PHYF912300AB480BGN\nS:disk/by-id/wwn-0x55cd2e414f1a2b3c\n"
        + "E:ID_BUS=ata\nE:ID_MODEL=INTEL_SSDSC2KB480G8\nE:ID_MODEL_ENC=INTEL\\x20SSDSC2KB480G8\\x20\\x20\\x20\nE:ID_SERIAL=INTEL_SSDSC2KB480G8_PHYF912300AB480BGN\n"
        + "E:ID_SERIAL_SHORT=PHYF912300AB480BGN\nE:ID_WWN=0x55cd2e414f1a2b3c\nE:ID_PATH=pci-0000:00:17.0-ata-1\nE:ID_PART_TABLE_TYPE=gpt\n")
    {
        SysfsModel = "INTEL SSDSC2KB48",
        Physical = 4096,
    };

    public static readonly DiskFixture SasDataDisk = new(
        "sdb", "pci0000:00/0000:00:02.0/0000:02:00.0/host2/target2:0:8/2:0:8:0/block/sdb", "8:16", 23437770752,
        "S:disk/by-id/scsi-35000c500d0a1b2c3\nS:disk/by-id/wwn-0x5000c500d0a1b2c3\nS:disk/by-path/pci-0000:02:00.0-scsi-0:0:8:0\n"
        + "E:ID_BUS=scsi\nE:ID_MODEL=ST12000NM004J\nE:ID_SERIAL=35000c500d0a1b2c3\nE:ID_SERIAL_SHORT=ZJV4A1B2\n"
        + "E:ID_WWN=0x5000c500d0a1b2c3\nE:ID_WWN_WITH_EXTENSION=0x5000c500d0a1b2c3\nE:ID_PATH=pci-0000:02:00.0-scsi-0:0:8:0\n")
    {
        Rotational = true,
        Physical = 4096,
        SysfsModel = "ST12000NM004J   ",
    };

    public static readonly DiskFixture SasMountedDisk = SasDataDisk with
    {
        Name = "sdc",
        DevicePath = "pci0000:00/0000:00:02.0/0000:02:00.0/host2/target2:0:9/2:0:9:0/block/sdc",
        MajorMinor = "8:32",
        Udev = "S:disk/by-id/scsi-35000c500d0a1b2d4\nS:disk/by-id/wwn-0x5000c500d0a1b2d4\nE:ID_BUS=scsi\nE:ID_MODEL=ST12000NM004J\n"
            + "E:ID_SERIAL=35000c500d0a1b2d4\nE:ID_SERIAL_SHORT=ZJV4A1C3\nE:ID_WWN=0x5000c500d0a1b2d4\nE:ID_PATH=pci-0000:02:00.0-scsi-0:0:9:0\n"
            + "E:ID_PART_TABLE_TYPE=gpt\n",
    };

    public static FixtureTree RaidServer()
    {
        var tree = new FixtureTree()
            .Dmi("Supermicro", "SYS-1029U-TRT", "S123456X9", "00000000-0000-0000-0000-AC1F6B012345", "3.4")
            .Cpus("Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz", sockets: 1, coresPerSocket: 4, threadsPerCore: 2)
            .Memory(131595612)
            .OsRelease("SUSE Linux Enterprise Micro 6.0", "6.0", "6.4.0-17-default")
            .PhysicalNic("eno1", "AC:1F:6B:01:23:45", 1500, "1000", carrier: true, "pci0000:00/0000:00:1f.6", "e1000e")
            .Link("/sys/devices/pci0000:00/0000:00:02.0/0000:02:00.0/driver", "../../../../bus/pci/drivers/megaraid_sas")
            .Disk(SataOsDisk)
            .Partition(SataOsDisk, "sda1", "8:1", 1048576, "E:ID_FS_TYPE=vfat\n")
            .Partition(SataOsDisk, "sda2", "8:2", 936652800, "E:ID_FS_TYPE=LVM2_member\n")
            .Stacked("dm-0", "254:0", 209715200, "system-root", "sda2")
            .Stacked("dm-1", "254:1", 209715200, "system-var", "sda2")
            .Disk(SasDataDisk)
            .Disk(SasMountedDisk)
            .Partition(SasMountedDisk, "sdc1", "8:33", 23437768704, "E:ID_FS_TYPE=xfs\nE:ID_FS_LABEL=scratch\n");
        return tree.MountInfo(
            "21 1 254:0 / / rw,relatime shared:1 - xfs /dev/mapper/system-root rw",
            "22 21 254:1 / /var rw,relatime shared:2 - xfs /dev/mapper/system-var rw",
            "23 21 8:1 / /boot/efi rw,relatime shared:3 - vfat /dev/sda1 rw",
            "24 21 8:33 / /srv/scratch rw,relatime shared:4 - xfs /dev/sdc1 rw");
    }

    public static readonly DiskFixture VirtioOsDisk = new(
        "vda", "pci0000:00/0000:00:04.0/virtio2/block/vda", "252:0", 41943040,
        "S:disk/by-path/pci-0000:00:04.0\nS:disk/by-path/virtio-pci-0000:00:04.0\nE:ID_PATH=pci-0000:00:04.0\nE:ID_PART_TABLE_TYPE=gpt\n")
    {
        DiscardMaxBytes = 2147483136,
    };

    public static readonly DiskFixture VirtioDataDisk = new(
        "vdb", "pci0000:00/0000:00:05.0/virtio3/block/vdb", "252:16", 209715200,
        "S:disk/by-id/virtio-data-1\nS:disk/by-path/pci-0000:00:05.0\nE:ID_SERIAL=data-1\nE:ID_PATH=pci-0000:00:05.0\nE:ID_FS_TYPE=ext4\n")
    {
        Rotational = true,
    };

    public static FixtureTree VirtioVm()
    {
        var tree = new FixtureTree()
            .Dmi("QEMU", "Standard PC (Q35 + ICH9, 2009)", "", "8E3B1B1A-5C0E-4B5D-9C3F-0123456789AB", "1.16.3-debian-1.16.3-2")
            .Cpus("AMD EPYC-Milan Processor", sockets: 1, coresPerSocket: 4, threadsPerCore: 1, hypervisor: true)
            .Memory(8138604)
            .OsRelease("openSUSE MicroOS", "20251120", "6.11.8-1-default")
            .PhysicalNic("enp1s0", "52:54:00:12:34:56", 1500, "-1", carrier: true, "pci0000:00/0000:00:02.0/0000:01:00.0/virtio0", "virtio_net")
            .Disk(VirtioOsDisk)
            .Partition(VirtioOsDisk, "vda1", "252:1", 2048, "")
            .Partition(VirtioOsDisk, "vda2", "252:2", 41938911, "E:ID_FS_TYPE=ext4\nE:ID_FS_LABEL=root\n")
            .Disk(VirtioDataDisk);
        return tree.MountInfo("21 1 252:2 / / rw,relatime shared:1 - ext4 /dev/vda2 rw");
    }

    public static readonly DiskFixture UsbStick = new(
        "sdb", "pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/host6/target6:0:0/6:0:0:0/block/sdb", "8:16", 60063744,
        "S:disk/by-id/usb-SanDisk_Ultra_4C530001234567891234-0:0\nS:disk/by-path/pci-0000:00:14.0-usb-0:2:1.0-scsi-0:0:0:0\n"
        + "E:ID_BUS=usb\nE:ID_MODEL=Ultra\nE:ID_VENDOR=SanDisk\nE:ID_SERIAL=SanDisk_Ultra_4C530001234567891234-0:0\n"
        + "E:ID_SERIAL_SHORT=4C530001234567891234\nE:ID_PATH=pci-0000:00:14.0-usb-0:2:1.0-scsi-0:0:0:0\nE:ID_PART_TABLE_TYPE=dos\n")
    {
        Removable = true,
        SysfsModel = "Ultra           ",
    };

    public static readonly DiskFixture UsbHostOsDisk = new(
        "sda", "pci0000:00/0000:00:17.0/ata2/host1/target1:0:0/1:0:0:0/block/sda", "8:0", 500118192,
        "S:disk/by-id/ata-Samsung_SSD_870_EVO_250GB_S6PENL0T123456A\nE:ID_BUS=ata\nE:ID_MODEL=Samsung_SSD_870_EVO_250GB\n"
        + "E:ID_SERIAL_SHORT=S6PENL0T123456A\nE:ID_PART_TABLE_TYPE=gpt\n");

    public static FixtureTree UsbStickHost()
    {
        var tree = new FixtureTree()
            .Dmi("LENOVO", "ThinkCentre M90q", "MJ0ABCDE", "A1B2C3D4-E5F6-11EB-8000-000000000001", "M3BKT4AA")
            .Cpus("Intel(R) Core(TM) i5-10500T CPU @ 2.30GHz", sockets: 1, coresPerSocket: 6, threadsPerCore: 2)
            .Memory(16231472)
            .OsRelease("openSUSE MicroOS", "20251120", "6.11.8-1-default")
            .PhysicalNic("eno1", "98:FA:9B:12:34:56", 1500, "1000", carrier: true, "pci0000:00/0000:00:1f.6", "e1000e")
            .Disk(UsbHostOsDisk)
            .Partition(UsbHostOsDisk, "sda1", "8:1", 500116111, "E:ID_FS_TYPE=ext4\n")
            .Disk(UsbStick)
            .Partition(UsbStick, "sdb1", "8:17", 60061696, "E:ID_FS_TYPE=exfat\nE:ID_FS_LABEL=Ventoy\n");
        return tree.MountInfo("21 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw");
    }
}
