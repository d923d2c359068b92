using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using Google.Protobuf.WellKnownTypes;
using ImmutableInfra.Agent.Vip;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Tests.Vip;

/// <summary>Golden files for 1, 3 and 5 control planes over IPv4 and IPv6, each accepted by Debian's `keepalived -t`.</summary>
public sealed class KeepalivedConfigRendererTests
{
    public const string TrackFile = "/run/immutableinfra/vip-eligibility";

    public static TheoryData<int, bool> Variants => new() { { 1, false }, { 3, false }, { 5, false }, { 1, true }, { 3, true }, { 5, true } };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Render_MatchesTheGoldenFile(int controlPlanes, bool ipv6)
    {
        var (role, local) = Cluster(controlPlanes, ipv6);
        var rendered = KeepalivedConfigRenderer.Render(role, local, TrackFile);
        var path = GoldenPath(controlPlanes, ipv6);

        // UPDATE_GOLDEN=1 rewrites the files; review the diff before committing it.
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, rendered.Text);
        }

        Assert.Equal(File.ReadAllText(path), rendered.Text);
        Assert.Equal("ens3", rendered.Interface);
        Assert.Equal(local[1].Address, rendered.OwnAddress);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task GoldenFile_IsAcceptedByKeepalived(int controlPlanes, bool ipv6)
    {
        // keepalived -t checks interfaces exist: give it an ens3 in a network namespace of its own.
        var psi = new ProcessStartInfo("unshare", ["-n", "sh", "-c", "ip link add ens3 type veth peer name ens3p && ip link set ens3 up && keepalived -t -f \"$0\"", GoldenPath(controlPlanes, ipv6)])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"keepalived -t exited {process.ExitCode}: {await stderr}{await stdout}");
    }

    [Fact]
    public void Render_PicksTheInterfaceWhoseSubnetHoldsTheVip_AndListsEveryOtherControlPlaneOnce()
    {
        var (role, _) = Cluster(3, ipv6: false);
        role.Peers.Add(new VipPeer { Host = "cp-1-again", Address = "198.18.0.11" });
        LocalAddress[] local =
        [
            new("eth0", IPAddress.Parse("10.0.0.5"), 8),
            new("ens4", IPAddress.Parse("198.18.0.11"), 24),
        ];

        var rendered = KeepalivedConfigRenderer.Render(role, local, TrackFile);

        Assert.Equal("ens4", rendered.Interface);
        Assert.Contains("    unicast_src_ip 198.18.0.11\n    unicast_peer {\n        198.18.0.12\n        198.18.0.13\n    }\n", rendered.Text, StringComparison.Ordinal);
        Assert.Equal(3, rendered.Text.Split("real_server ").Length - 1);
    }

    [Fact]
    public void Render_HonoursAnExplicitInterface()
    {
        var (role, _) = Cluster(1, ipv6: false);
        role.Interface = "bond0";
        LocalAddress[] local = [new("ens3", IPAddress.Parse("198.18.0.11"), 24), new("bond0", IPAddress.Parse("198.18.0.21"), 24)];

        var rendered = KeepalivedConfigRenderer.Render(role, local, TrackFile);

        Assert.Equal(("bond0", "198.18.0.21"), (rendered.Interface, rendered.OwnAddress.ToString()));
    }

    [Theory]
    [InlineData("not-an-ip", 51u, "198.18.0.12", "not an IP address")]
    [InlineData("192.0.2.100", 51u, "198.18.0.12", "no interface has an address on the subnet")]
    [InlineData("198.18.0.100", 0u, "198.18.0.12", "outside 1-255")]
    [InlineData("198.18.0.100", 256u, "198.18.0.12", "outside 1-255")]
    [InlineData("198.18.0.100", 51u, "2001:db8::12", "not an address of the VIP's family")]
    public void Render_RefusesWhatCannotWork(string vip, uint vrid, string peer, string problem)
    {
        var role = new VipRole { Cluster = "ns/c1", Vip = vip, Vrid = vrid, Peers = { new VipPeer { Host = "cp-2", Address = peer } } };
        LocalAddress[] local = [new("ens3", IPAddress.Parse("198.18.0.11"), 24)];

        var error = Assert.Throws<VipConfigurationException>(() => KeepalivedConfigRenderer.Render(role, local, TrackFile));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0.1")]
    [InlineData(200, "0.2")]
    [InlineData(1500, "1.5")]
    [InlineData(3, "0.01")]
    public void Render_AdvertIntervalInVrrpv3Centiseconds(int milliseconds, string expected)
    {
        var (role, local) = Cluster(1, ipv6: false);
        role.AdvertInterval = milliseconds == 0 ? null : Duration.FromTimeSpan(TimeSpan.FromMilliseconds(milliseconds));

        var rendered = KeepalivedConfigRenderer.Render(role, local, TrackFile);

        Assert.Contains($"    advert_int {expected}\n", rendered.Text, StringComparison.Ordinal);
    }

    /// <summary>A cluster of n control planes; this host is cp-1 (the second local address, after an unrelated one).</summary>
    internal static (VipRole Role, LocalAddress[] Local) Cluster(int controlPlanes, bool ipv6)
    {
        string Address(int i) => ipv6 ? $"2001:db8:10::{10 + i}" : $"198.18.0.{10 + i}";
        var role = new VipRole
        {
            Cluster = "prod/c1",
            Vip = ipv6 ? "2001:db8:10::100" : "198.18.0.100",
            Port = 6443,
            Vrid = 51,
            AdvertInterval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(500)),
        };
        // The coordinator lists the other control planes; the renderer also skips this host if it is listed.
        for (var i = 2; i <= controlPlanes; i++)
        {
            role.Peers.Add(new VipPeer { Host = $"cp-{i}", Address = Address(i) });
        }

        LocalAddress[] local =
        [
            new("eth0", IPAddress.Parse(ipv6 ? "fd00::5" : "10.0.0.5"), ipv6 ? 64 : 8),
            new("ens3", IPAddress.Parse(Address(1)), ipv6 ? 64 : 24),
        ];
        return (role, local);
    }

    private static string GoldenPath(int controlPlanes, bool ipv6, [CallerFilePath] string source = "") =>
        Path.Combine(Path.GetDirectoryName(source)!, "golden", $"keepalived-{controlPlanes}cp-{(ipv6 ? "ipv6" : "ipv4")}.conf");
}
