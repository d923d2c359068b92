using System.Globalization;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Inventory;

/// <summary>
/// Reads the disks a host could offer from /sys/block, the udev database and the mount table,
/// and marks the ones that are mounted (or otherwise in use) or hold the running OS.
/// </summary>
internal sealed class DiskInventoryReader(HostRoot root, bool includeLoopDevices = false)
{
    private const ulong SectorBytes = 512;

    private static readonly string[] OsMountPoints = ["/", "/boot", "/boot/efi", "/usr", "/var", "/sysroot"];

    private static readonly string[] NotDataDisks = ["loop", "ram", "zram", "dm-", "md", "sr", "fd"];

    public IReadOnlyList<DiskRecord> Read()
    {
        var graph = new BlockDeviceGraph(root);
        var udev = new UdevDatabase(root);
        var mounts = new MountTable(root).Read();
        var mountedDisks = new HashSet<string>(StringComparer.Ordinal);
        var osDisks = new HashSet<string>(StringComparer.Ordinal);
        var mountPointOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var mount in mounts)
        {
            if (graph.ForMount(mount) is not { } node)
            {
                continue;
            }

            mountPointOf.TryAdd(node.Name, mount.MountPoint);
            var baseDisks = graph.BaseDisksOf(node);
            mountedDisks.UnionWith(baseDisks);
            if (OsMountPoints.Contains(mount.MountPoint))
            {
                osDisks.UnionWith(baseDisks);
            }
        }

        // In use though nothing on them is mounted: active swap (not in mountinfo), and disks under an open dm or an
        // assembled md device (an unmounted LVM volume, a RAID member). Wiping either pulls storage out from under the
        // running system, so they count as mounted.
        foreach (var swap in ActiveSwapDevices())
        {
            if (graph.ByName(swap) is { } node)
            {
                mountedDisks.UnionWith(graph.BaseDisksOf(node));
            }
        }

        foreach (var node in graph.Nodes.Where(n => n.Holders.Count > 0))
        {
            mountedDisks.UnionWith(graph.BaseDisksOf(node));
        }

        var disks = new List<DiskRecord>();
        foreach (var name in root.List("/sys/block"))
        {
            // Loop devices stand in for disks only in the wipe tests, which need real block devices.
            var isTestableLoop = includeLoopDevices && name.StartsWith("loop", StringComparison.Ordinal);
            if (!isTestableLoop && NotDataDisks.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            {
                continue;
            }

            var record = ReadDisk(name, udev, mountPointOf, mountedDisks.Contains(name), osDisks.Contains(name));
            // A zero size is an empty slot: nbd without a server, a card reader without a card.
            if (record.Info.SizeBytes > 0)
            {
                disks.Add(record);
            }
        }

        return disks;
    }

    /// <summary>The kernel names of the block devices in /proc/swaps (swap files live on mounted filesystems anyway).</summary>
    private IEnumerable<string> ActiveSwapDevices() =>
        (root.ReadText("/proc/swaps") ?? string.Empty).Split('\n').Skip(1)
            .Select(line => line.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty)
            .Where(path => path.StartsWith("/dev/", StringComparison.Ordinal))
            .Select(path => path["/dev/".Length..]);

    private DiskRecord ReadDisk(string name, UdevDatabase udev, Dictionary<string, string> mountPointOf, bool mounted, bool holdsOs)
    {
        var dir = $"/sys/block/{name}/";
        var majorMinor = root.ReadTrimmed(dir + "dev") ?? string.Empty;
        var record = udev.Read(majorMinor);
        var devicePath = root.LinkTarget($"/sys/block/{name}") ?? string.Empty;
        var info = new DiskInfo
        {
            Name = name,
            ByIdPath = PreferredById(record.Links),
            SizeBytes = ParseULong(root.ReadTrimmed(dir + "size")) * SectorBytes,
            LogicalSectorSize = (uint)ParseULong(root.ReadTrimmed(dir + "queue/logical_block_size")),
            PhysicalSectorSize = (uint)ParseULong(root.ReadTrimmed(dir + "queue/physical_block_size")),
            Rotational = root.ReadTrimmed(dir + "queue/rotational") == "1",
            Transport = DiskTransportClassifier.Classify(root, name, devicePath, record),
            // sysfs truncates ATA models to 16 characters; udev's encoded model is complete.
            Model = FirstNonEmpty(UdevDecode(record.Get("ID_MODEL_ENC")), record.Get("ID_MODEL").Replace('_', ' '), root.ReadTrimmed(dir + "device/model")),
            Serial = FirstNonEmpty(record.Get("ID_SERIAL_SHORT"), root.ReadTrimmed(dir + "device/serial"), record.Get("ID_SERIAL")),
            Wwn = FirstNonEmpty(record.Get("ID_WWN_WITH_EXTENSION"), record.Get("ID_WWN")),
            Removable = root.ReadTrimmed(dir + "removable") == "1",
            ReadOnly = root.ReadTrimmed(dir + "ro") == "1",
            Mounted = mounted,
            HoldsOs = holdsOs,
        };
        AddSignature(info, record.Get("ID_PART_TABLE_TYPE"));
        AddSignature(info, record.Get("ID_FS_TYPE"));

        var partitionPaths = new List<string>();
        foreach (var child in root.List(dir))
        {
            if (!root.Exists($"{dir}{child}/partition"))
            {
                continue;
            }

            var partition = udev.Read(root.ReadTrimmed($"{dir}{child}/dev") ?? string.Empty);
            info.Partitions.Add(new PartitionInfo
            {
                Name = child,
                SizeBytes = ParseULong(root.ReadTrimmed($"{dir}{child}/size")) * SectorBytes,
                Filesystem = partition.Get("ID_FS_TYPE"),
                Label = partition.Get("ID_FS_LABEL"),
                Mountpoint = mountPointOf.GetValueOrDefault(child, string.Empty),
            });
            partitionPaths.Add("/dev/" + child);
        }

        var supportsDiscard = ParseULong(root.ReadTrimmed(dir + "queue/discard_max_bytes")) > 0;
        return new DiskRecord(info, "/dev/" + name, partitionPaths, supportsDiscard);
    }

    private static void AddSignature(DiskInfo info, string signature)
    {
        if (signature.Length > 0)
        {
            info.Signatures.Add(signature);
        }
    }

    /// <summary>wwn- names survive a move to another controller; transport-model-serial names come next.</summary>
    private static string PreferredById(IReadOnlyList<string> links)
    {
        return links
            .Where(l => l.StartsWith("/dev/disk/by-id/", StringComparison.Ordinal) && !l.Contains("-part", StringComparison.Ordinal))
            .OrderBy(Rank)
            .ThenBy(l => l, StringComparer.Ordinal)
            .FirstOrDefault() ?? string.Empty;

        static int Rank(string link)
        {
            var name = link["/dev/disk/by-id/".Length..];
            if (name.StartsWith("wwn-", StringComparison.Ordinal))
            {
                return 0;
            }

            // eui/nguid and scsi "0"/"1" names are vendor-id forms; readable transport-model-serial wins.
            return name.StartsWith("nvme-eui.", StringComparison.Ordinal) || name.StartsWith("nvme-nvme.", StringComparison.Ordinal)
                || name.StartsWith("scsi-0", StringComparison.Ordinal) || name.StartsWith("scsi-1", StringComparison.Ordinal)
                || name.StartsWith("scsi-3", StringComparison.Ordinal) || name.StartsWith("scsi-S", StringComparison.Ordinal) ? 2 : 1;
        }
    }

    /// <summary>udev's *_ENC values escape bytes as \xNN and pad with spaces.</summary>
    private static string UdevDecode(string encoded)
    {
        var builder = new global::System.Text.StringBuilder(encoded.Length);
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '\\' && i + 3 < encoded.Length && encoded[i + 1] == 'x'
                && byte.TryParse(encoded.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                builder.Append((char)b);
                i += 3;
            }
            else
            {
                builder.Append(encoded[i]);
            }
        }

        return builder.ToString().Trim();
    }

    private static string FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? string.Empty;

    private static ulong ParseULong(string? text) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
