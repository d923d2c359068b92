using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Reset;
using ImmutableInfra.Contract.V1;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.Agent.Tests.Reset;

/// <summary>Wipes real loop devices with the real tools. Needs root (CI runs as root), util-linux, fdisk and e2fsprogs.</summary>
[Collection(LoopDeviceTestGroup.Name)]
public sealed class DiskWiperLoopDeviceTests
{
    private const long DiskBytes = 16 * 1024 * 1024;
    private const int MiB = 1024 * 1024;

    private readonly DiskWiper _wiper = new(new ProcessCommandRunner(), new BlockDeviceWriter(), NullLogger<DiskWiper>.Instance);

    private static DiskRecord Inventory(LoopDevice loop) =>
        new DiskInventoryReader(new HostRoot("/"), includeLoopDevices: true).Read().Single(d => d.Info.Name == loop.Name);

    [Fact]
    public async Task Wipe_MetadataPolicy_RemovesGptAndZeroesFirstAndLastMiB()
    {
        using var loop = new LoopDevice(DiskBytes);
        Shell.RunWithInput("label: gpt\n,8M,L\n", "sfdisk", "--quiet", loop.DevicePath);
        Assert.Contains("gpt", loop.Signatures(), StringComparison.Ordinal);
        var updates = new List<DiskWipeProgress>();

        var result = await _wiper.WipeAsync(Inventory(loop), WipePolicy.Metadata, persistent: false, new Inline<DiskWipeProgress>(updates.Add), CancellationToken.None);

        Assert.Equal(DiskWipeState.Done, result.State);
        Assert.Equal(string.Empty, loop.Signatures());
        Assert.All(loop.Read(0, MiB), b => Assert.Equal(0, b));
        Assert.All(loop.Read(DiskBytes - MiB, MiB), b => Assert.Equal(0, b));
        Assert.Equal(2UL * MiB, result.BytesTotal);
        Assert.Equal(result.BytesTotal, result.BytesDone);
        Assert.Equal(DiskWipeState.Running, updates[0].State);
        Assert.Equal(DiskWipeState.Done, updates[^1].State);
    }

    [Fact]
    public async Task Wipe_MountedDisk_IsRefused()
    {
        using var loop = new LoopDevice(DiskBytes);
        Shell.Run("mkfs.ext4", "-q", "-F", loop.DevicePath);
        using var mount = new TempMount(loop.DevicePath);
        var disk = Inventory(loop);
        Assert.True(disk.Info.Mounted);

        var result = await _wiper.WipeAsync(disk, WipePolicy.Full, persistent: false, new Inline<DiskWipeProgress>(_ => { }), CancellationToken.None);

        Assert.Equal(DiskWipeState.Skipped, result.State);
        Assert.Equal("a filesystem on it is mounted, or it is in use (swap, device-mapper, md)", result.Reason);
        Assert.Equal("ext4", loop.Signatures());
    }

    [Fact]
    public async Task Wipe_ActiveSwap_IsRefused_ThoughNothingIsMounted()
    {
        using var loop = new LoopDevice(DiskBytes);
        Shell.Run("mkswap", loop.DevicePath);
        Shell.Run("swapon", loop.DevicePath);
        try
        {
            var disk = Inventory(loop);
            Assert.True(disk.Info.Mounted);

            var result = await _wiper.WipeAsync(disk, WipePolicy.Full, persistent: false, new Inline<DiskWipeProgress>(_ => { }), CancellationToken.None);

            Assert.Equal(DiskWipeState.Skipped, result.State);
            Assert.Equal("swap", loop.Signatures());
        }
        finally
        {
            Shell.Run("swapoff", loop.DevicePath);
        }
    }

    [Fact]
    public async Task Wipe_ReadOnlyDisk_IsRefused_AndKeepsItsBytes()
    {
        using var loop = new LoopDevice(DiskBytes);
        loop.Write(0, [0xAB, 0xCD]);
        Shell.Run("blockdev", "--setro", loop.DevicePath);
        try
        {
            var disk = Inventory(loop);
            Assert.True(disk.Info.ReadOnly);

            var result = await _wiper.WipeAsync(disk, WipePolicy.Full, persistent: false, new Inline<DiskWipeProgress>(_ => { }), CancellationToken.None);

            Assert.Equal(DiskWipeState.Skipped, result.State);
            Assert.Equal("read-only", result.Reason);
            Assert.Equal([0xAB, 0xCD], loop.Read(0, 2));
        }
        finally
        {
            // The flag stays with the loop device after it is detached: the next test to get it would find it read-only.
            Shell.Run("blockdev", "--setrw", loop.DevicePath);
        }
    }

    [Fact]
    public async Task Wipe_FullPolicyWithDiscard_LeavesOnlyZeroes()
    {
        using var loop = new LoopDevice(DiskBytes);
        loop.Write(0, Filled(DiskBytes));
        var disk = Inventory(loop);
        Assert.True(disk.SupportsDiscard);

        var result = await _wiper.WipeAsync(disk, WipePolicy.Full, persistent: false, new Inline<DiskWipeProgress>(_ => { }), CancellationToken.None);

        Assert.Equal(DiskWipeState.Done, result.State);
        Assert.All(loop.Read(0, (int)DiskBytes), b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task Wipe_FullPolicyWithoutDiscard_ZeroesEveryByteAndReportsBytes()
    {
        using var loop = new LoopDevice(DiskBytes);
        loop.Write(0, Filled(DiskBytes));
        var disk = Inventory(loop) with { SupportsDiscard = false };
        var updates = new List<DiskWipeProgress>();

        var result = await _wiper.WipeAsync(disk, WipePolicy.Full, persistent: false, new Inline<DiskWipeProgress>(updates.Add), CancellationToken.None);

        Assert.Equal(DiskWipeState.Done, result.State);
        Assert.All(loop.Read(0, (int)DiskBytes), b => Assert.Equal(0, b));
        Assert.Equal((ulong)DiskBytes, result.BytesTotal);
        Assert.Contains(updates, u => u.State == DiskWipeState.Running && u.BytesDone == (ulong)DiskBytes);
    }

    private static byte[] Filled(long length)
    {
        var data = new byte[length];
        Array.Fill(data, (byte)0xA5);
        return data;
    }
}

/// <summary>Loop-device tests share the kernel's loop pool; run them one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class LoopDeviceTestGroup
{
    public const string Name = "loop devices";
}

/// <summary>Reports inline so assertions see every update.</summary>
internal sealed class Inline<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
