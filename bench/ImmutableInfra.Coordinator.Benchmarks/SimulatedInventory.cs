using System.Globalization;
using System.Security.Cryptography;
using Google.Protobuf;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Coordinator.Benchmarks;

/// <summary>
/// A host's identity and inventory as the real agent reports them for a typical two-NVMe server
/// (one OS disk, one data disk, two NICs): same fields, same fingerprint rule (a hash of the rest).
/// </summary>
internal static class SimulatedInventory
{
    public static string HostName(int index) => string.Create(CultureInfo.InvariantCulture, $"scale-{index:D5}");

    public static string Address(int index) => string.Create(CultureInfo.InvariantCulture, $"10.{64 + (index >> 16)}.{(index >> 8) & 0xff}.{index & 0xff}/16");

    public static HostIdentity Identity(int index) => new()
    {
        SystemUuid = Uuid(index),
        Serial = Serial(index),
        Macs = { Mac(index, 0), Mac(index, 1) },
        Hostname = HostName(index),
    };

    public static HostInventory Inventory(int index)
    {
        var inventory = new HostInventory
        {
            System = new SystemInfo { Vendor = "Simulated", Product = "Scale Server 2U", Serial = Serial(index), SystemUuid = Uuid(index), BiosVersion = "2.19.1" },
            Cpu = new CpuInfo { Model = "Simulated Xeon 32-core", Sockets = 2, Cores = 64, Threads = 128, Architecture = "x86_64" },
            Memory = new MemoryInfo { TotalBytes = 512UL << 30 },
            Nics =
            {
                new NicInfo { Name = "eno1", Mac = Mac(index, 0), Mtu = 1500, SpeedMbps = 25_000, Carrier = true, Addresses = { Address(index) }, Driver = "ice" },
                new NicInfo { Name = "eno2", Mac = Mac(index, 1), Mtu = 1500, SpeedMbps = 25_000, Carrier = false, Driver = "ice" },
            },
            Disks =
            {
                Disk(index, 0, 960_197_124_096, holdsOs: true),
                Disk(index, 1, 3_840_755_982_336, holdsOs: false),
            },
            Os = new OsInfo { Name = "openSUSE MicroOS", Version = "20251120", Kernel = "6.17.7-1-default" },
        };
        inventory.Fingerprint = Convert.ToHexStringLower(SHA256.HashData(inventory.ToByteArray()))[..16];
        return inventory;
    }

    private static DiskInfo Disk(int index, int n, ulong size, bool holdsOs)
    {
        var serial = string.Create(CultureInfo.InvariantCulture, $"S{index:D6}N{n}");
        var disk = new DiskInfo
        {
            Name = $"nvme{n}n1",
            ByIdPath = $"/dev/disk/by-id/nvme-SIMULATED_{serial}",
            SizeBytes = size,
            LogicalSectorSize = 512,
            PhysicalSectorSize = 4096,
            Transport = DiskTransport.Nvme,
            Model = "SIMULATED NVMe",
            Serial = serial,
            HoldsOs = holdsOs,
            Mounted = holdsOs,
            Signatures = { "gpt" },
        };
        if (holdsOs)
        {
            disk.Partitions.Add(new PartitionInfo { Name = $"nvme{n}n1p1", SizeBytes = 536_870_912, Filesystem = "vfat", Mountpoint = "/boot/efi" });
            disk.Partitions.Add(new PartitionInfo { Name = $"nvme{n}n1p2", SizeBytes = size - 536_870_912, Filesystem = "btrfs", Mountpoint = "/" });
        }

        return disk;
    }

    private static string Uuid(int index) => string.Create(CultureInfo.InvariantCulture, $"5ca1e000-0000-4000-8000-{index:x12}");

    private static string Serial(int index) => string.Create(CultureInfo.InvariantCulture, $"SIM{index:D7}");

    private static string Mac(int index, int port) =>
        string.Create(CultureInfo.InvariantCulture, $"02:5c:{(index >> 16) & 0xff:x2}:{(index >> 8) & 0xff:x2}:{index & 0xff:x2}:{port:x2}");
}
