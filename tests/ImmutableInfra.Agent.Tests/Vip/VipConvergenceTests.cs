using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Hosting;
using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Tests.Coordination;
using ImmutableInfra.Agent.Vip;
using ImmutableInfra.Contract.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NSubstitute;

namespace ImmutableInfra.Agent.Tests.Vip;

/// <summary>The real agent host: a VIP role sent over the Sync stream reaches the VIP component, whose status goes back up.</summary>
public sealed class VipConvergenceTests : IDisposable
{
    private readonly TestHost _host = new();
    private readonly TempDirectory _vipDir = new();

    public void Dispose()
    {
        _host.Dispose();
        _vipDir.Dispose();
    }

    [Fact]
    public async Task VipRole_ReachesTheVipComponent_StatusGoesUpstream_AndAResentGenerationAfterARestartAppliesItAgain()
    {
        await using var coordinator = await FakeCoordinator.StartAsync();
        var vip = new VipOptions { KeepalivedConfigPath = _vipDir.Combine("keepalived.conf"), TrackFilePath = _vipDir.Combine("vip-eligibility") };
        var (role, _) = KeepalivedConfigRendererTests.Cluster(3, ipv6: false);
        role.Initializing = true;
        var desired = new DesiredState { Generation = 1, VipRole = role };

        await using (var agent = await StartAgentAsync(_host, coordinator.Address, vip))
        {
            await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the stream is open");
            await coordinator.SetDesiredAsync(desired);

            await Eventually.TrueAsync(
                () => coordinator.States.Any(s => s.AckedGeneration == 1 && s.Vip?.ArbiterState == nameof(ArbiterState.Bootstrapping)),
                "the VIP status is reported with the acknowledgement");
            Assert.Equal("prod/c1", coordinator.States.Last(s => s.Vip is not null).Vip.Cluster);
            Assert.Contains("virtual_router_id 51", await File.ReadAllTextAsync(vip.KeepalivedConfigPath), StringComparison.Ordinal);
        }

        // The agent restarts; the coordinator sends the generation it already acknowledged: the VIP role is a standing
        // state, so it is applied again although the generation is not re-run.
        File.Delete(vip.KeepalivedConfigPath);
        await using (var agent = await StartAgentAsync(_host, coordinator.Address, vip))
        {
            await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the stream is open again");
            await coordinator.SetDesiredAsync(desired);

            await Eventually.TrueAsync(() => File.Exists(vip.KeepalivedConfigPath), "keepalived.conf is rendered again");
        }
    }

    /// <summary>The agent host with the OS faked and the VIP's paths in a scratch directory.</summary>
    private static Task<AgentUnderTest> StartAgentAsync(TestHost host, Uri coordinator, VipOptions vip)
    {
        var (_, local) = KeepalivedConfigRendererTests.Cluster(3, ipv6: false);
        var addresses = Substitute.For<ILocalAddresses>();
        addresses.All().Returns(local);
        return AgentUnderTest.StartAsync(host, coordinator, vip: vip, replace: services =>
        {
            services.AddSingleton(addresses);
            // No kubeconfig yet: the initializing host holds the VIP by VRRP alone.
            services.AddSingleton(Substitute.For<ILeaseApiConnector>());
        });
    }
}
