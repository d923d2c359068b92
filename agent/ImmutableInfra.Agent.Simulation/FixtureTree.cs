namespace ImmutableInfra.Agent.Simulation;

/// <summary>
/// Builds a fake host root (sysfs, procfs, udev database) declaratively. Symlinks are made here
/// rather than checked in, because sysfs depends on them and git on every checkout does not keep
/// them faithfully.
/// </summary>
public sealed class FixtureTree : IDisposable
{
    private readonly RootDirectory _directory;

    /// <summary>A tree in a new temporary directory, deleted on dispose.</summary>
    public FixtureTree()
        : this(Path.Combine(Path.GetTempPath(), "ii-host-" + Guid.NewGuid().ToString("N")), owned: true)
    {
    }

    /// <summary>A tree under <paramref name="root"/>; deleted on dispose only when <paramref name="owned"/>.</summary>
    public FixtureTree(string root, bool owned)
    {
        Directory.CreateDirectory(root);
        _directory = new RootDirectory(root, owned);
    }

    public string Root => _directory.Path;

    public FixtureTree File(string hostPath, string content)
    {
        var path = _directory.Combine(hostPath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return this;
    }

    public FixtureTree Link(string hostPath, string target)
    {
        var path = _directory.Combine(hostPath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        // Written again when a host boots again from the tree it left (File overwrites too).
        System.IO.File.Delete(path);
        System.IO.File.CreateSymbolicLink(path, target);
        return this;
    }

    public FixtureTree Dmi(string vendor, string product, string serial, string uuid, string bios) =>
        File("/sys/class/dmi/id/sys_vendor", vendor + "\n").File("/sys/class/dmi/id/product_name", product + "\n")
            .File("/sys/class/dmi/id/product_serial", serial + "\n").File("/sys/class/dmi/id/product_uuid", uuid + "\n")
            .File("/sys/class/dmi/id/bios_version", bios + "\n");

    /// <summary>sockets × cores × threads CPUs, in /proc/cpuinfo and sysfs topology.</summary>
    public FixtureTree Cpus(string model, int sockets, int coresPerSocket, int threadsPerCore, bool hypervisor = false)
    {
        var cpuinfo = new System.Text.StringBuilder();
        var index = 0;
        for (var t = 0; t < threadsPerCore; t++)
        {
            for (var s = 0; s < sockets; s++)
            {
                for (var c = 0; c < coresPerSocket; c++)
                {
                    cpuinfo.Append($"processor\t: {index}\nvendor_id\t: GenuineIntel\nmodel name\t: {model}\nphysical id\t: {s}\ncore id\t\t: {c}\n");
                    cpuinfo.Append(hypervisor ? "flags\t\t: fpu vme sse2 hypervisor\n\n" : "flags\t\t: fpu vme sse2\n\n");
                    File($"/sys/devices/system/cpu/cpu{index}/topology/physical_package_id", $"{s}\n");
                    File($"/sys/devices/system/cpu/cpu{index}/topology/core_id", $"{c}\n");
                    index++;
                }
            }
        }

        return File("/proc/cpuinfo", cpuinfo.ToString()).File("/proc/sys/kernel/arch", "x86_64\n");
    }

    public FixtureTree Memory(long kib) => File("/proc/meminfo", $"MemTotal:       {kib} kB\nMemFree:         1234 kB\n");

    public FixtureTree OsRelease(string pretty, string version, string kernel) =>
        File("/etc/os-release", $"NAME=\"x\"\nPRETTY_NAME=\"{pretty}\"\nVERSION_ID=\"{version}\"\n").File("/proc/sys/kernel/osrelease", kernel + "\n");

    public FixtureTree PhysicalNic(string name, string mac, int mtu, string speed, bool carrier, string pciPath, string driver)
    {
        var device = $"/sys/devices/{pciPath}";
        Link($"/sys/class/net/{name}", $"../../devices/{pciPath}/net/{name}");
        Link($"{device}/net/{name}/device", "../../../" + pciPath.Split('/')[^1]);
        Link($"{device}/driver", $"../../../../bus/pci/drivers/{driver}");
        return NicAttributes($"{device}/net/{name}", mac, mtu, speed, carrier);
    }

    public FixtureTree VirtualNic(string name, string mac, int mtu)
    {
        Link($"/sys/class/net/{name}", $"../../devices/virtual/net/{name}");
        return NicAttributes($"/sys/devices/virtual/net/{name}", mac, mtu, "-1", carrier: true);
    }

    /// <summary>A whole disk: /sys/block/name links to the device path, as on a real host.</summary>
    public FixtureTree Disk(DiskFixture disk)
    {
        var dir = $"/sys/devices/{disk.DevicePath}";
        Link($"/sys/block/{disk.Name}", "../devices/" + disk.DevicePath);
        File($"{dir}/dev", disk.MajorMinor + "\n").File($"{dir}/size", disk.Sectors + "\n")
            .File($"{dir}/removable", (disk.Removable ? "1" : "0") + "\n").File($"{dir}/ro", (disk.ReadOnly ? "1" : "0") + "\n")
            .File($"{dir}/queue/logical_block_size", disk.Logical + "\n").File($"{dir}/queue/physical_block_size", disk.Physical + "\n")
            .File($"{dir}/queue/rotational", (disk.Rotational ? "1" : "0") + "\n")
            .File($"{dir}/queue/discard_max_bytes", disk.DiscardMaxBytes + "\n");
        Directory.CreateDirectory(_directory.Combine($"{dir}/holders"));
        Directory.CreateDirectory(_directory.Combine($"{dir}/slaves"));
        if (disk.SysfsModel is not null)
        {
            File($"{dir}/device/model", disk.SysfsModel + "\n");
        }

        if (disk.SysfsSerial is not null)
        {
            File($"{dir}/device/serial", disk.SysfsSerial + "\n");
        }

        return File($"/run/udev/data/b{disk.MajorMinor}", disk.Udev);
    }

    public FixtureTree Partition(DiskFixture disk, string name, string majorMinor, long sectors, string udev)
    {
        var dir = $"/sys/devices/{disk.DevicePath}/{name}";
        return File($"{dir}/partition", "1\n").File($"{dir}/dev", majorMinor + "\n").File($"{dir}/size", sectors + "\n")
            .File($"/run/udev/data/b{majorMinor}", udev);
    }

    /// <summary>A device-mapper or md device stacked on slaves.</summary>
    public FixtureTree Stacked(string name, string majorMinor, long sectors, string? dmName, params string[] slaves)
    {
        var dir = $"/sys/devices/virtual/block/{name}";
        Link($"/sys/block/{name}", $"../devices/virtual/block/{name}");
        File($"{dir}/dev", majorMinor + "\n").File($"{dir}/size", sectors + "\n");
        if (dmName is not null)
        {
            File($"{dir}/dm/name", dmName + "\n");
        }

        Directory.CreateDirectory(_directory.Combine($"{dir}/slaves"));
        foreach (var slave in slaves)
        {
            Link($"{dir}/slaves/{slave}", $"../../../../{slave}");
        }

        return this;
    }

    /// <summary>A virtual device of the kinds never offered (loop, zram, ram, nbd).</summary>
    public FixtureTree VirtualBlock(string name, string majorMinor, long sectors) => Stacked(name, majorMinor, sectors, dmName: null);

    public FixtureTree MountInfo(params string[] lines) => File("/proc/self/mountinfo", string.Join('\n', lines) + "\n");

    public void Dispose() => _directory.Dispose();

    private FixtureTree NicAttributes(string dir, string mac, int mtu, string speed, bool carrier) =>
        File($"{dir}/address", mac + "\n").File($"{dir}/mtu", $"{mtu}\n").File($"{dir}/speed", speed + "\n")
            .File($"{dir}/carrier", (carrier ? "1" : "0") + "\n");
}

/// <summary>How a fixture disk looks in sysfs and udev.</summary>
public sealed record DiskFixture(string Name, string DevicePath, string MajorMinor, long Sectors, string Udev)
{
    public int Logical { get; init; } = 512;

    public int Physical { get; init; } = 512;

    public bool Rotational { get; init; }

    public bool Removable { get; init; }

    public bool ReadOnly { get; init; }

    public long DiscardMaxBytes { get; init; }

    public string? SysfsModel { get; init; }

    public string? SysfsSerial { get; init; }
}

/// <summary>The directory a tree is written under; host paths are made relative to it.</summary>
internal sealed class RootDirectory(string path, bool owned) : IDisposable
{
    public string Path { get; } = path;

    public string Combine(string hostPath) => System.IO.Path.Combine(Path, hostPath.TrimStart('/'));

    public void Dispose()
    {
        if (owned && Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
