using System.Text.Json.Nodes;
using ImmutableInfra.Agent.Simulation;

namespace ImmutableInfra.Packaging.Tests.Release;

/// <summary>
/// The linux-arm64 builds of the release run under qemu-user (Debian's qemu-aarch64-static), with the arm64
/// image's own root filesystem as their C library and OpenSSL: the NativeAOT agent reads a fixture host's
/// inventory, the image's coordinator reports its version.
/// </summary>
[Collection(ReleaseGroup.Name)]
public sealed class Arm64Tests(ReleaseFixture release) : IDisposable
{
    private const string Qemu = "/usr/bin/qemu-aarch64-static";

    private readonly string _work = Directory.CreateTempSubdirectory("immutableinfra-arm64-").FullName;

    [Fact]
    public void Arm64Agent_UnderQemu_ReadsAFixtureHostsInventory()
    {
        var rootfs = Path.Combine(OciImage.Unpack(release.ImageArchive, release.Version, "arm64", _work), "rootfs");
        using var host = new FixtureTree()
            .Dmi("Ampere Computing", "Mt.Jade", "AMP123456", "5c2a0e4e-7d3b-4f6a-9c1e-0a1b2c3d4e5f", "1.0.9")
            .Cpus("Neoverse-N1", sockets: 1, coresPerSocket: 4, threadsPerCore: 1)
            .Memory(131072000)
            .OsRelease("openSUSE MicroOS", "20251120", "6.11.8-1-default")
            .PhysicalNic("eth0", "0c:42:a1:00:00:01", 1500, "25000", carrier: true, "pci0000:00/0000:00:01.0/0000:01:00.0", "mlx5_core")
            .Disk(new DiskFixture("nvme0n1", "pci0000:00/0000:00:02.0/0000:02:00.0/nvme/nvme0/nvme0n1", "259:0", 1875385008,
                "S:disk/by-id/nvme-SAMSUNG_MZQL2960HCJR-00A07_S64FNE0R800999\nE:ID_SERIAL=SAMSUNG MZQL2960HCJR-00A07_S64FNE0R800999\n"))
            .MountInfo("22 1 259:0 / / rw,relatime shared:1 - xfs /dev/nvme0n1 rw");

        var result = Command.Run(Qemu, ["-L", rootfs, release.AgentBinary("arm64"), "inventory", "--root", host.Root, "-o", "json"], TimeSpan.FromMinutes(3));

        Assert.True(result.ExitCode == 0, $"the arm64 agent under qemu exited {result.ExitCode}:\n{result.Output}");
        var inventory = JsonNode.Parse(result.Stdout)!;
        Assert.Equal(("Ampere Computing", "Mt.Jade", "AMP123456"), ((string?)inventory["system"]!["vendor"], (string?)inventory["system"]!["product"], (string?)inventory["system"]!["serial"]));
        Assert.Equal(4L, (long)inventory["cpu"]!["cores"]!);
        Assert.Equal("nvme0n1", (string?)Assert.Single(inventory["disks"]!.AsArray())!["name"]);
        Assert.Equal("eth0", (string?)Assert.Single(inventory["nics"]!.AsArray())!["name"]);
    }

    [Fact]
    public void Arm64ImagesCoordinator_UnderQemu_ReportsTheReleaseVersion()
    {
        var rootfs = Path.Combine(OciImage.Unpack(release.ImageArchive, release.Version, "arm64", _work), "rootfs");

        var version = Command.Check(Qemu, ["-L", rootfs, Path.Combine(rootfs, "usr/bin/immutableinfra-coordinator"), "--version"], TimeSpan.FromMinutes(3), null);

        Assert.StartsWith(release.Version + "+", version.Trim(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}
