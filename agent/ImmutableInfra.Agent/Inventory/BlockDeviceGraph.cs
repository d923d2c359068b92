using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Inventory;

/// <summary>
/// Every block device under /sys/block (disks, their partitions, dm and md devices) and how they
/// stack, so a mounted LVM volume can be traced down to the physical disks under it.
/// </summary>
internal sealed class BlockDeviceGraph
{
    private readonly Dictionary<string, BlockNode> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BlockNode> _byDevice = new(StringComparer.Ordinal);

    public BlockDeviceGraph(HostRoot root)
    {
        foreach (var disk in root.List("/sys/block"))
        {
            var dir = $"/sys/block/{disk}/";
            Add(root, disk, dir, parent: null);
            foreach (var child in root.List(dir))
            {
                if (root.Exists($"{dir}{child}/partition"))
                {
                    Add(root, child, $"{dir}{child}/", parent: disk);
                }
            }
        }

        foreach (var node in _byName.Values.Where(n => n.DmName is not null).ToList())
        {
            _byName.TryAdd("mapper/" + node.DmName, node);
        }
    }

    public BlockNode? ByName(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Every device once.</summary>
    public IEnumerable<BlockNode> Nodes => _byName.Values.Distinct();

    public BlockNode? ByDevice(string majorMinor) => _byDevice.GetValueOrDefault(majorMinor);

    /// <summary>The whole disks a device ultimately lives on (through partitions, dm and md slaves).</summary>
    public IReadOnlySet<string> BaseDisksOf(BlockNode node)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        Collect(node, result, depth: 0);
        return result;
    }

    /// <summary>Resolves a mount to its device: by major:minor, else by source (btrfs mounts carry anonymous 0:N numbers).</summary>
    public BlockNode? ForMount(MountEntry mount)
    {
        if (ByDevice(mount.MajorMinor) is { } byDevice)
        {
            return byDevice;
        }

        return mount.Source.StartsWith("/dev/", StringComparison.Ordinal) ? ByName(mount.Source["/dev/".Length..]) : null;
    }

    private void Collect(BlockNode node, HashSet<string> result, int depth)
    {
        // Stacks are shallow (partition -> md -> dm crypt -> dm lvm); the bound guards against loops.
        if (depth > 16)
        {
            return;
        }

        if (node.Parent is not null && ByName(node.Parent) is { } parent)
        {
            Collect(parent, result, depth + 1);
            return;
        }

        if (node.Slaves.Count == 0)
        {
            result.Add(node.Name);
            return;
        }

        foreach (var slave in node.Slaves)
        {
            if (ByName(slave) is { } slaveNode)
            {
                Collect(slaveNode, result, depth + 1);
            }
        }
    }

    private void Add(HostRoot root, string name, string dir, string? parent)
    {
        var node = new BlockNode(name, root.ReadTrimmed(dir + "dev") ?? string.Empty, parent, root.List(dir + "slaves"), root.ReadTrimmed(dir + "dm/name"), root.List(dir + "holders"));
        _byName[name] = node;
        if (node.MajorMinor.Length > 0)
        {
            _byDevice[node.MajorMinor] = node;
        }
    }
}

/// <summary>One block device: its kernel name, major:minor, parent disk (partitions), slaves (dm/md) and holders (the dm/md devices built on it).</summary>
internal sealed record BlockNode(string Name, string MajorMinor, string? Parent, IReadOnlyList<string> Slaves, string? DmName, IReadOnlyList<string> Holders);
