using System.Net;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.ControlPlaneVip;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Lab;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.Coordinator.Tests;

/// <summary>The VIP role the coordinator hands to control-plane hosts: its computation, and its life in a lab cluster.</summary>
public sealed class ControlPlaneVipTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(new[] { "10.0.0.5/8", "198.18.0.7/15" }, "198.18.0.7")]          // the address on the VIP's subnet wins
    [InlineData(new[] { "127.0.0.1/8", "10.0.0.5/8" }, "10.0.0.5")]              // else the first global one of the family
    [InlineData(new[] { "198.18.255.1/32", "198.18.0.9/15" }, "198.18.0.9")]      // the VIP itself (held now) is not the host's address
    [InlineData(new[] { "2001:db8::5/64" }, null)]                                 // no IPv4 address at all: left out
    [InlineData(new[] { "garbage", "198.18.0.3/99", "198.18.0.4" }, "198.18.0.4")] // unparsable entries are skipped
    public void AddressFacing_PicksTheAddressPeersReachTheHostAt(string[] addresses, string? expected)
    {
        Assert.Equal(expected, VipRoles.AddressFacing(addresses, IPAddress.Parse("198.18.255.1")));
    }

    [Fact]
    public void AddressFacing_IPv6_PrefersTheVipsPrefix_AndSkipsLinkLocal()
    {
        Assert.Equal("2001:db8:1::7", VipRoles.AddressFacing(["fe80::1/64", "2001:db8:2::7/64", "2001:db8:1::7/64"], IPAddress.Parse("2001:db8:1::100")));
    }

    [Fact]
    public void For_NamesTheOtherControlPlanesSorted_AndTheFirstIsInitializingUntilProvisioned()
    {
        var cluster = Cluster(LoadBalancerType.Internal);
        var first = Host("cp-b", "198.18.0.2/15", HostState.Provisioning);

        var alone = VipRoles.For(cluster, first, [first])!;
        Assert.True(alone.Initializing);
        Assert.Empty(alone.Peers!);
        Assert.Equal(("kube-system", "prod-control-plane-vip", "fleet/prod", 51, 6443), (alone.LeaseNamespace, alone.LeaseName, alone.Cluster, alone.Vrid, alone.Port));

        first.Status!.Claim!.VipRole = alone;
        var third = Host("cp-a", "198.18.0.1/15", HostState.Provisioning);
        var second = Host("cp-c", "198.18.0.3/15", HostState.Provisioning);
        var joined = VipRoles.For(cluster, first, [first, second, third])!;
        Assert.True(joined.Initializing);
        Assert.Equal(["cp-a=198.18.0.1", "cp-c=198.18.0.3"], joined.Peers!.Select(p => $"{p.Host}={p.Address}"));

        // A later host is never initializing, and the first one stops once provisioned.
        Assert.Null(VipRoles.For(cluster, second, [first, second, third])!.Initializing);
        first.Status.State = HostState.Provisioned;
        Assert.Null(VipRoles.For(cluster, first, [first, second, third])!.Initializing);
    }

    [Fact]
    public void For_AnExternalLoadBalancer_GivesNoRole()
    {
        var host = Host("cp-a", "198.18.0.1/15", HostState.Provisioning);
        Assert.Null(VipRoles.For(Cluster(LoadBalancerType.External), host, [host]));
    }

    [Fact]
    public async Task Lab_ControlPlaneHostsGetVipRoles_WithPeersFollowingMembership_WithoutBootstrappingAgain()
    {
        await using var lab = await LabEnvironment.StartAsync(new LabOptions { Hosts = 5, KubeadmTime = TimeSpan.FromMilliseconds(50), Timeout = Settle },
            NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        await lab.StartHostsAsync(0, 5, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await lab.HostsAsync(CancellationToken.None)).Count(h => h.Status?.State == HostState.Available) == 5,
            Settle, "every host Available", CancellationToken.None);
        var capi = new ClusterApiSimulator(lab.Api, LabEnvironment.Namespace, "vip");
        await capi.CreateClusterAsync(CancellationToken.None);

        await capi.CreateMachineAsync("vip-cp-0", controlPlane: true, firstControlPlane: true, CancellationToken.None);
        var first = await SettledAsync(lab, ["vip-cp-0"]);
        Assert.Empty(first[0].Status!.Claim!.VipRole!.Peers!);

        foreach (var name in new[] { "vip-cp-1", "vip-cp-2" })
        {
            await capi.CreateMachineAsync(name, controlPlane: true, firstControlPlane: false, CancellationToken.None);
        }

        await capi.CreateMachineAsync("vip-md-0", controlPlane: false, firstControlPlane: false, CancellationToken.None);
        var three = await SettledAsync(lab, ["vip-cp-0", "vip-cp-1", "vip-cp-2"], worker: "vip-md-0");
        foreach (var host in three)
        {
            var role = host.Status!.Claim!.VipRole!;
            Assert.Equal((ClusterApiSimulator.Vip, ClusterApiSimulator.Vrid), (role.Vip, role.Vrid));
            var expected = three.Where(h => h.Metadata.Name != host.Metadata.Name)
                .Select(h => $"{h.Metadata.Name}={VipRoles.AddressFacing(h.Status!.Addresses, IPAddress.Parse(ClusterApiSimulator.Vip))}")
                .Order(StringComparer.Ordinal);
            Assert.Equal(expected, role.Peers!.Select(p => $"{p.Host}={p.Address}"));
        }

        // The first control plane took new generations as peers joined (one or two: they may join in one
        // reconcile), acknowledged them, and ran its bootstrap once.
        var cp0 = three.Single(h => h.Status!.Claim!.MachineRef!.Name == "vip-cp-0");
        Assert.True(cp0.Status!.DesiredGeneration > first[0].Status!.DesiredGeneration);
        Assert.Equal(1, lab.Hosts.Single(h => cp0.Metadata.Name!.StartsWith(h.Name + "-", StringComparison.Ordinal)).KubeadmJoinsAndInits);

        // The leader's /metrics shows hosts per pool and state, and the VIP state the three agents report.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var leader = lab.Coordinators.Single(c => c.IsLeader);
        string metrics = string.Empty;
        await Eventually.TrueAsync(async () =>
        {
            metrics = await http.GetStringAsync(new Uri(leader.HttpAddress, "/metrics"));
            return metrics.Split('\n').Count(l => l.StartsWith("immutableinfra_vip_vrrp_state{", StringComparison.Ordinal) && l.Contains("cluster=\"lab/vip\"", StringComparison.Ordinal)) == 3;
        }, Settle, "three control planes' VIP state in /metrics", CancellationToken.None);
        Assert.Contains("immutableinfra_hosts{namespace=\"lab\",pool=\"hosts\",state=\"Provisioned\"} 4", metrics, StringComparison.Ordinal);
        Assert.Contains("immutableinfra_hosts{namespace=\"lab\",pool=\"hosts\",state=\"Available\"} 1", metrics, StringComparison.Ordinal);

        await capi.DeleteMachineAsync("vip-cp-2", CancellationToken.None);
        var two = await SettledAsync(lab, ["vip-cp-0", "vip-cp-1"], worker: "vip-md-0");
        Assert.All(two, h => Assert.Single(h.Status!.Claim!.VipRole!.Peers!));
    }

    // Waits until exactly these control-plane machines hold provisioned hosts whose agents acknowledged the
    // newest generation and whose roles name each other, none initializing any more (provisioned means its
    // apiserver answered); returns those hosts.
    private static async Task<List<MachineInventory>> SettledAsync(LabEnvironment lab, string[] controlPlanes, string? worker = null)
    {
        List<MachineInventory> settled = [];
        await Eventually.TrueAsync(async () =>
        {
            var hosts = await lab.HostsAsync(CancellationToken.None);
            settled = [.. hosts.Where(h => h.Status?.Claim is { Released: not true, ControlPlane: true })];
            var workerOk = worker is null || hosts.Any(h => h.Status?.Claim?.MachineRef?.Name == worker && h.Status.State == HostState.Provisioned && h.Status.Claim.VipRole is null);
            return workerOk && settled.Count == controlPlanes.Length
                && settled.All(h => controlPlanes.Contains(h.Status!.Claim!.MachineRef!.Name) && h.Status.State == HostState.Provisioned
                    && h.Status.AcknowledgedGeneration == h.Status.DesiredGeneration && h.Status.Claim.VipRole?.Peers?.Count == controlPlanes.Length - 1
                    && h.Status.Claim.VipRole.Initializing is null);
        }, Settle, $"control planes {string.Join(',', controlPlanes)} provisioned with their VIP roles", CancellationToken.None);
        return settled;
    }

    private static BaremetalCluster Cluster(LoadBalancerType type) => new()
    {
        Metadata = new ObjectMeta { Name = "prod", Namespace = "fleet" },
        Spec = new BaremetalClusterSpec { ControlPlaneLoadBalancer = new ControlPlaneLoadBalancer { Type = type, Vip = "198.18.255.1", Vrid = 51 } },
    };

    private static MachineInventory Host(string name, string address, HostState state) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "fleet" },
        Status = new MachineInventoryStatus
        {
            State = state,
            Addresses = [address],
            Claim = new HostClaim { ControlPlane = true, Cluster = "fleet/prod", MachineRef = new MachineReference { Name = "m-" + name, Uid = "u-" + name } },
        },
    };
}
