using ContractReset = ImmutableInfra.Contract.V1.Reset;
using ImmutableInfra.Agent.Bootstrap;
using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Reset;
using ImmutableInfra.Contract.V1;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace ImmutableInfra.Agent.Tests.Reset;

public sealed class HostResetterTests : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly ICommandRunner _runner = Substitute.For<ICommandRunner>();
    private readonly IBlockDeviceWriter _writer = Substitute.For<IBlockDeviceWriter>();
    private readonly List<ResetProgress> _progress = [];

    public HostResetterTests()
    {
        _runner.RunAsync(Arg.Any<CommandRequest>(), Arg.Any<CancellationToken>()).Returns(CommandResult.Ok());
        foreach (var path in new[] { "etc/kubernetes/pki/ca.crt", "var/lib/kubelet/config.yaml", "var/lib/etcd/member/snap/db", "etc/cni/net.d/10-calico.conflist",
                     "run/cluster-api/bootstrap-success.complete", "etc/hostname", "usr/bin/kubeadm" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_root.Combine(path))!);
            File.WriteAllText(_root.Combine(path), "x");
        }
    }

    private static DiskRecord Disk(
        string name, bool mounted = false, bool holdsOs = false, bool readOnly = false, bool removable = false, DiskTransport transport = DiskTransport.Sata) => new(
        new DiskInfo
        {
            Name = name, ByIdPath = $"/dev/disk/by-id/wwn-{name}", SizeBytes = 8UL * 1024 * 1024 * 1024, Mounted = mounted, HoldsOs = holdsOs,
            ReadOnly = readOnly, Removable = removable, Transport = transport,
        },
        "/dev/" + name, [$"/dev/{name}1"], SupportsDiscard: false);

    private HostResetter Resetter(params DiskRecord[] disks) => new(
        new HostRoot(_root.Path), _runner, () => new InventorySnapshot(new HostInventory(), disks),
        new DiskWiper(_runner, _writer, NullLogger<DiskWiper>.Instance), new BootstrapJournal(_root.Combine("var/lib/immutableinfra")),
        new ResetOptions { PersistentDisks = ["/dev/disk/by-id/wwn-sdd"] }, NullLogger<HostResetter>.Instance);

    private Task<ResetOutcome> ResetAsync(HostResetter resetter, ContractReset reset) =>
        resetter.ResetAsync(reset, new Inline<ResetProgress>(_progress.Add), CancellationToken.None);

    [Fact]
    public async Task Reset_ProvisionedHost_RunsKubeadmResetRemovesStateAndWipesOnlyDataDisks()
    {
        new BootstrapJournal(_root.Combine("var/lib/immutableinfra")).Save(new BootstrapJournalEntry("m-1", "abc", 3, 3, "runcmd 1", Succeeded: true));
        var reset = new ContractReset { MachineUid = "m-1", DefaultPolicy = WipePolicy.Metadata };
        reset.Disks.Add(new DiskWipe { Disk = "/dev/disk/by-id/wwn-sde", Policy = WipePolicy.None });

        var outcome = await ResetAsync(Resetter(Disk("sda", mounted: true, holdsOs: true), Disk("sdb"), Disk("sdc", mounted: true), Disk("sdd"), Disk("sde")), reset);

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        await _runner.Received(1).RunAsync(Arg.Is<CommandRequest>(r => r.Display == $"{_root.Path}/usr/bin/kubeadm reset --force" || r.Display == "/usr/bin/kubeadm reset --force"), Arg.Any<CancellationToken>());
        foreach (var gone in new[] { "etc/kubernetes", "var/lib/kubelet", "var/lib/etcd", "etc/cni/net.d", "run/cluster-api" })
        {
            Assert.False(Directory.Exists(_root.Combine(gone)), gone);
        }

        Assert.True(File.Exists(_root.Combine("etc/hostname")));
        Assert.False(Directory.Exists(_root.Combine("var/lib/immutableinfra/bootstrap")));
        var final = _progress[^1];
        Assert.True(final.Complete);
        Assert.Equal(HostResetter.WipeStep, final.Step);
        Assert.Equal(
        [
            ("/dev/disk/by-id/wwn-sda", DiskWipeState.Skipped, "holds the running OS"),
            ("/dev/disk/by-id/wwn-sdb", DiskWipeState.Done, ""),
            ("/dev/disk/by-id/wwn-sdc", DiskWipeState.Skipped, "a filesystem on it is mounted, or it is in use (swap, device-mapper, md)"),
            ("/dev/disk/by-id/wwn-sdd", DiskWipeState.Skipped, "marked persistent"),
            ("/dev/disk/by-id/wwn-sde", DiskWipeState.Skipped, "policy none"),
        ], final.Disks.Select(d => (d.Disk, d.State, d.Reason)));
        Assert.Equal(["kubeadm-reset", "remove-state", "wipe"], _progress.Select(p => p.Step).Distinct());
        await _runner.Received(1).RunAsync(Arg.Is<CommandRequest>(r => r.Display == "wipefs --all /dev/sdb1"), Arg.Any<CancellationToken>());
        await _runner.Received(1).RunAsync(Arg.Is<CommandRequest>(r => r.Display == "wipefs --all /dev/sdb"), Arg.Any<CancellationToken>());
        await _runner.DidNotReceive().RunAsync(Arg.Is<CommandRequest>(r => r.Display.Contains("sda", StringComparison.Ordinal)), Arg.Any<CancellationToken>());
        await _writer.Received(2).ZeroAsync("/dev/sdb", Arg.Any<long>(), 1024 * 1024, Arg.Any<IProgress<long>>(), Arg.Any<CancellationToken>());
        await _writer.DidNotReceive().ZeroAsync(Arg.Is<string>(d => d != "/dev/sdb"), Arg.Any<long>(), Arg.Any<long>(), Arg.Any<IProgress<long>>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Reset_FullWipeOverridesNamingEveryProtectedDisk_WipeNoneOfThem()
    {
        // Whatever the coordinator sends: Full by default, and Full again for each protected disk, named every way a
        // disk can be named (by-id path, kernel name, device path).
        var reset = new ContractReset { MachineUid = "m-1", DefaultPolicy = WipePolicy.Full };
        foreach (var (name, i) in new[] { "sda", "sdb", "sdc", "sdd", "sdf", "sdg" }.Select((n, i) => (n, i)))
        {
            reset.Disks.Add(new DiskWipe { Disk = (i % 3) switch { 0 => $"/dev/disk/by-id/wwn-{name}", 1 => name, _ => "/dev/" + name }, Policy = WipePolicy.Full });
        }

        var outcome = await ResetAsync(Resetter(
            Disk("sda", mounted: true, holdsOs: true), Disk("sdb", mounted: true), Disk("sdc", readOnly: true), Disk("sdd"),
            Disk("sdf", removable: true), Disk("sdg", transport: DiskTransport.Usb)), reset);

        Assert.True(outcome.Succeeded, outcome.FailureReason);
        Assert.Equal(
        [
            ("/dev/disk/by-id/wwn-sda", DiskWipeState.Skipped, "holds the running OS"),
            ("/dev/disk/by-id/wwn-sdb", DiskWipeState.Skipped, "a filesystem on it is mounted, or it is in use (swap, device-mapper, md)"),
            ("/dev/disk/by-id/wwn-sdc", DiskWipeState.Skipped, "read-only"),
            ("/dev/disk/by-id/wwn-sdd", DiskWipeState.Skipped, "marked persistent"),
            ("/dev/disk/by-id/wwn-sdf", DiskWipeState.Skipped, "removable (USB) disk"),
            ("/dev/disk/by-id/wwn-sdg", DiskWipeState.Skipped, "removable (USB) disk"),
        ], _progress[^1].Disks.Select(d => (d.Disk, d.State, d.Reason)));
        await _runner.DidNotReceive().RunAsync(Arg.Is<CommandRequest>(r => r.Display.StartsWith("wipefs", StringComparison.Ordinal) || r.Display.StartsWith("blkdiscard", StringComparison.Ordinal)),
            Arg.Any<CancellationToken>());
        await _writer.DidNotReceive().ZeroAsync(Arg.Any<string>(), Arg.Any<long>(), Arg.Any<long>(), Arg.Any<IProgress<long>>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Reset_WipeFails_ReportsFailedAndStopsWithoutTouchingLaterDisks()
    {
        _runner.RunAsync(Arg.Is<CommandRequest>(r => r.Display == "wipefs --all /dev/sdb1"), Arg.Any<CancellationToken>())
            .Returns(new CommandResult(1, false, BoundedOutput.Empty, BoundedOutput.Empty));

        var outcome = await ResetAsync(Resetter(Disk("sdb"), Disk("sdc")), new ContractReset { DefaultPolicy = WipePolicy.Metadata });

        Assert.False(outcome.Succeeded);
        Assert.Contains("wipe of /dev/disk/by-id/wwn-sdb failed: wipefs --all /dev/sdb1 exited with code 1", outcome.FailureReason, StringComparison.Ordinal);
        var final = _progress[^1];
        Assert.False(final.Complete);
        Assert.Equal([DiskWipeState.Failed, DiskWipeState.Pending], final.Disks.Select(d => d.State));
        await _runner.DidNotReceive().RunAsync(Arg.Is<CommandRequest>(r => r.Display.Contains("sdc", StringComparison.Ordinal)), Arg.Any<CancellationToken>());
        await _runner.Received(1).RunAsync(Arg.Is<CommandRequest>(r => r.Display.StartsWith("wipefs", StringComparison.Ordinal)), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Reset_WithoutKubeadm_SkipsKubeadmResetAndSucceeds()
    {
        File.Delete(_root.Combine("usr/bin/kubeadm"));

        var outcome = await ResetAsync(Resetter(), new ContractReset { DefaultPolicy = WipePolicy.None });

        Assert.True(outcome.Succeeded);
        await _runner.DidNotReceive().RunAsync(Arg.Any<CommandRequest>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Reset_RunTwice_IsIdempotent()
    {
        var resetter = Resetter(Disk("sdb"));
        var reset = new ContractReset { DefaultPolicy = WipePolicy.Metadata };

        Assert.True((await ResetAsync(resetter, reset)).Succeeded);
        Assert.True((await ResetAsync(resetter, reset)).Succeeded);
    }

    [Fact]
    public async Task Reset_RequestNamesUnknownDisk_ReportsItSkipped()
    {
        var reset = new ContractReset { DefaultPolicy = WipePolicy.None };
        reset.Disks.Add(new DiskWipe { Disk = "/dev/disk/by-id/wwn-gone", Policy = WipePolicy.Full });

        var outcome = await ResetAsync(Resetter(), reset);

        Assert.True(outcome.Succeeded);
        var disk = Assert.Single(_progress[^1].Disks);
        Assert.Equal((DiskWipeState.Skipped, "no such disk on this host"), (disk.State, disk.Reason));
    }

    [Fact]
    public async Task Reset_KubeadmResetFails_StillRemovesState()
    {
        _runner.RunAsync(Arg.Is<CommandRequest>(r => r.Display.Contains("kubeadm", StringComparison.Ordinal)), Arg.Any<CancellationToken>())
            .Returns(new CommandResult(1, false, BoundedOutput.Empty, BoundedOutput.Empty));

        var outcome = await ResetAsync(Resetter(), new ContractReset());

        Assert.True(outcome.Succeeded);
        Assert.False(Directory.Exists(_root.Combine("etc/kubernetes")));
    }

    public void Dispose() => _root.Dispose();
}
