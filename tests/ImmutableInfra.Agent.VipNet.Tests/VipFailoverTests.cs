using ImmutableInfra.Agent.Vip;
using ImmutableInfra.Agent.VipNet.Harness;
using Xunit.Abstractions;

namespace ImmutableInfra.Agent.VipNet.Tests;

/// <summary>One lab (bridge + Lease API) for every scenario.</summary>
public sealed class VipLabFixture : IAsyncLifetime
{
    internal VipLab Lab { get; private set; } = null!;

    public async Task InitializeAsync() => Lab = await VipLab.StartAsync();

    public async Task DisposeAsync() => await Lab.DisposeAsync();
}

/// <summary>Every VIP scenario runs in one collection, one at a time: they measure time, so they never share the machine with each other.</summary>
[CollectionDefinition(Name)]
public sealed class VipLabScenarios : ICollectionFixture<VipLabFixture>
{
    public const string Name = "vip lab";
}

/// <summary>
/// Real keepalived in three network namespaces, arbitrated by the agent's LeaseArbiter and, as the baseline in
/// the same run, plain keepalived with the same configuration and advert interval. Samples every 20 ms. The
/// shipped timings throughout: the agent's VipOptions defaults and the coordinator's advert interval.
/// </summary>
[Collection(VipLabScenarios.Name)]
public sealed class VipFailoverTests(VipLabFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Advert = KeepalivedConfigRenderer.DefaultAdvertInterval;
    private static readonly TimeSpan Stable = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ElectionTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task InitialElection_ExactlyOneHolder()
    {
        foreach (var arbitrated in new[] { true, false })
        {
            await using var cluster = await fixture.Lab.StartClusterAsync(arbitrated, Advert);
            await cluster.WaitForSingleHolderAsync(Stable, ElectionTimeout);
            await VipCluster.RunForAsync(TimeSpan.FromSeconds(1));
            var outcome = cluster.Outcome(TimeSpan.Zero, -1);
            Report(cluster, "initial election", outcome);

            Assert.Equal(1, outcome.FinalHolderCount);
            if (arbitrated)
            {
                Assert.True(outcome.MaxHoldersAtOnce <= 1, cluster.Describe());
            }
        }
    }

    [Fact]
    public async Task HolderKilled_AnotherHostTakesOver()
    {
        foreach (var arbitrated in new[] { true, false })
        {
            await using var cluster = await fixture.Lab.StartClusterAsync(arbitrated, Advert);
            var holder = await cluster.WaitForSingleHolderAsync(Stable, ElectionTimeout);
            var at = await cluster.HardKillAsync(holder);
            await VipCluster.RunForAsync(Settle);
            var outcome = cluster.Outcome(at, holder);
            Report(cluster, "holder SIGKILLed", outcome);

            // Both take over; plain keepalived is known to do this after its master-down interval.
            Assert.True(outcome.Failover is not null, cluster.Describe());
            if (arbitrated)
            {
                Assert.True(outcome.Failover <= Bounds.HardKillFailover + Bounds.Margin, $"failover {outcome.Failover} > {Bounds.HardKillFailover} + {Bounds.Margin}; {cluster.Describe()}");
            }
            Assert.Equal(1, outcome.FinalHolderCount);
            Assert.NotEqual(holder, outcome.FinalHolder);
            if (arbitrated)
            {
                Assert.True(outcome.MaxHoldersAtOnce <= 1, cluster.Describe());
            }
        }
    }

    [Fact]
    public async Task HolderLosesTheApi_ArbitratedMovesTheVip_PlainKeepalivedCannotKnow()
    {
        foreach (var arbitrated in new[] { true, false })
        {
            await using var cluster = await fixture.Lab.StartClusterAsync(arbitrated, Advert);
            var holder = await cluster.WaitForSingleHolderAsync(Stable, ElectionTimeout);
            var at = await cluster.CutApiAsync(holder);
            await VipCluster.RunForAsync(Settle);
            var outcome = cluster.Outcome(at, holder);
            Report(cluster, "holder lost the API", outcome);

            Assert.Equal(1, outcome.FinalHolderCount);
            if (arbitrated)
            {
                Assert.NotEqual(holder, outcome.FinalHolder);
                Assert.True(outcome.MaxHoldersAtOnce <= 1, cluster.Describe());
            }
            else
            {
                // VRRP alone never looks at the apiserver: the VIP stays on the host that cannot reach it.
                Assert.Equal(holder, outcome.FinalHolder);
            }
        }
    }

    [Fact]
    public async Task VrrpCut_ArbitratedKeepsOneHolder_PlainKeepalivedSplitsBrain()
    {
        foreach (var arbitrated in new[] { true, false })
        {
            await using var cluster = await fixture.Lab.StartClusterAsync(arbitrated, Advert);
            var holder = await cluster.WaitForSingleHolderAsync(Stable, ElectionTimeout);
            var at = await cluster.CutVrrpAsync();
            await VipCluster.RunForAsync(Settle);
            var outcome = cluster.Outcome(at, holder);
            Report(cluster, "VRRP cut between hosts", outcome);

            if (arbitrated)
            {
                Assert.Equal(TimeSpan.Zero, outcome.TwoHoldersWholeRun);
                Assert.Equal(holder, outcome.FinalHolder);
            }
            else
            {
                // Every backup stops hearing the master and promotes itself.
                Assert.True(outcome.TwoHoldersAfterFault > TimeSpan.Zero, cluster.Describe());
                Assert.Equal(VipCluster.Hosts, outcome.FinalHolderCount);
            }
        }
    }

    [Fact]
    public async Task GracefulStop_HandsOver()
    {
        foreach (var arbitrated in new[] { true, false })
        {
            await using var cluster = await fixture.Lab.StartClusterAsync(arbitrated, Advert);
            var holder = await cluster.WaitForSingleHolderAsync(Stable, ElectionTimeout);
            var at = await cluster.GracefulStopAsync(holder);
            await VipCluster.RunForAsync(TimeSpan.FromSeconds(2));
            var outcome = cluster.Outcome(at, holder);
            Report(cluster, "graceful stop", outcome);

            Assert.True(outcome.Failover is not null, cluster.Describe());
            Assert.Equal(1, outcome.FinalHolderCount);
            Assert.NotEqual(holder, outcome.FinalHolder);
            if (arbitrated)
            {
                Assert.True(outcome.MaxHoldersAtOnce <= 1, cluster.Describe());
            }
        }
    }

    private void Report(VipCluster cluster, string scenario, FaultOutcome outcome) => Bounds.Report(output, cluster, scenario, outcome);
}
