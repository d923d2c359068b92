using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Tests.Inventory;

/// <summary>Reads this machine's real / and checks the result against sysfs and the runtime.</summary>
public sealed class RealHostInventoryTests
{
    [Fact]
    public void Read_RealRoot_IsInternallyConsistent()
    {
        var root = new HostRoot("/");
        var snapshot = new HostInventoryReader(root, new NetworkInterfaceAddressSource()).Snapshot();
        var inventory = snapshot.Inventory;

        Assert.True(inventory.Cpu.Threads >= Environment.ProcessorCount, $"threads {inventory.Cpu.Threads} < {Environment.ProcessorCount}");
        Assert.True(inventory.Cpu.Cores >= 1 && inventory.Cpu.Sockets >= 1);
        Assert.True(inventory.Memory.TotalBytes > 0);
        Assert.NotEmpty(inventory.Cpu.Architecture);
        foreach (var disk in inventory.Disks)
        {
            Assert.DoesNotMatch("^(loop|ram|zram|dm-|md)", disk.Name);
            Assert.True(disk.SizeBytes > 0, disk.Name);
            var sectors = ulong.Parse(File.ReadAllText($"/sys/block/{disk.Name}/size").Trim(), global::System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(sectors * 512, disk.SizeBytes);
        }

        var rootMount = new MountTable(root).Read().LastOrDefault(m => m.MountPoint == "/");
        var graph = new BlockDeviceGraph(root);
        if (rootMount is not null && graph.ForMount(rootMount) is { } rootDevice)
        {
            foreach (var baseDisk in graph.BaseDisksOf(rootDevice))
            {
                var disk = inventory.Disks.SingleOrDefault(d => d.Name == baseDisk);
                Assert.True(disk is null || disk.HoldsOs, $"root disk {baseDisk} not marked holds_os");
            }
        }
    }
}
