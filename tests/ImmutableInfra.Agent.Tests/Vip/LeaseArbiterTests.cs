using ImmutableInfra.Agent.Vip;

namespace ImmutableInfra.Agent.Tests.Vip;

/// <summary>Every transition of the arbiter (agent README, "VIP arbiter"), on a fake clock against a shared Lease store.</summary>
public sealed class LeaseArbiterTests : IDisposable
{
    private readonly LeaseCluster _cluster = new();

    private VipOptions Options => _cluster.Options;

    public void Dispose() => _cluster.Dispose();

    [Fact]
    public async Task Bootstrap_HoldsVipByVrrpAlone_UntilApiserverAnswers_ThenLeadsWithoutAFlap()
    {
        var first = _cluster.AddHost("cp-1", initializing: true, connected: false);
        var joining = _cluster.AddHost("cp-2", connected: false);

        await _cluster.RunForAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(ArbiterState.Bootstrapping, first.State);
        Assert.Equal(VrrpEligibility.Eligible, first.Gate);
        Assert.Equal(VrrpEligibility.Barred, joining.Gate);

        first.Connected = true;
        await _cluster.RunForAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(ArbiterState.Leading, first.State);
        Assert.Equal("cp-1", _cluster.Lease?.Holder);
        // Eligible from the first instant to now: the VIP never moved.
        Assert.Equal([VrrpEligibility.Eligible], first.GateLog.Select(g => g.Eligibility));

        joining.Connected = true;
        await _cluster.RunForAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(ArbiterState.Following, joining.State);
        Assert.Equal([VrrpEligibility.Barred], joining.GateLog.Select(g => g.Eligibility));
    }

    [Fact]
    public async Task Bootstrap_SeeingAnotherHolder_Demotes()
    {
        var holder = _cluster.AddHost("cp-2");
        await _cluster.RunForAsync(TimeSpan.FromSeconds(1));
        var initializing = _cluster.AddHost("cp-1", initializing: true);

        await _cluster.RunForAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(ArbiterState.Leading, holder.State);
        Assert.Equal(ArbiterState.Following, initializing.State);
        Assert.Equal(VrrpEligibility.Barred, initializing.Gate);
    }

    [Fact]
    public async Task Bootstrap_EndsWhenTheRoleIsNoLongerInitializing()
    {
        var first = _cluster.AddHost("cp-1", initializing: true, connected: false);
        await _cluster.RunForAsync(TimeSpan.FromSeconds(1));

        first.Arbiter.Initializing = false;
        await _cluster.RunForAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(ArbiterState.Following, first.State);
        Assert.Equal(VrrpEligibility.Barred, first.Gate);
    }

    [Fact]
    public async Task HolderApiserverDies_DemotesBeforeTheLeaseExpires_AndAnotherHostTakesOver()
    {
        var hosts = new[] { _cluster.AddHost("cp-1"), _cluster.AddHost("cp-2"), _cluster.AddHost("cp-3") };
        await _cluster.RunForAsync(TimeSpan.FromSeconds(3));
        var holder = Assert.Single(hosts, h => h.State == ArbiterState.Leading);
        var transitions = _cluster.Lease!.Transitions;

        var failedAt = _cluster.Time.GetTimestamp();
        holder.Fault = ApiFault.Unreachable;
        await _cluster.RunForAsync(TimeSpan.FromSeconds(4));

        var demotedAt = holder.GateLog.Last(g => g.Eligibility == VrrpEligibility.Barred).At;
        var successor = Assert.Single(hosts, h => h.State == ArbiterState.Leading);
        var promotedAt = successor.GateLog.Last(g => g.Eligibility == VrrpEligibility.Eligible).At;
        Assert.Equal(ArbiterState.Following, holder.State);
        // Its last renewal started before the fault, so stepping down within RenewDeadline of the fault is before expiry.
        Assert.InRange(TimeSpan.FromTicks(demotedAt - failedAt), TimeSpan.Zero, Options.RenewDeadline + TimeSpan.FromMilliseconds(20));
        Assert.True(promotedAt > demotedAt);
        Assert.InRange(TimeSpan.FromTicks(promotedAt - failedAt), Options.LeaseDuration - Options.RetryPeriod, Options.LeaseDuration + (Options.RetryPeriod * 2));
        Assert.Equal(1, _cluster.MaxFullyEligibleAtOnce);
        // The fencing token moved on.
        Assert.Equal(transitions + 1, _cluster.Lease!.Transitions);
        Assert.Equal(transitions + 1, successor.Arbiter.Snapshot().LeaseTransitions);
    }

    [Fact]
    public async Task WhateverVrrpDoes_OnlyTheLeaseHolderIsEverEligible()
    {
        // With VRRP cut, keepalived alone would make every host master; the arbiter bars all but the holder.
        var hosts = new[] { _cluster.AddHost("cp-1"), _cluster.AddHost("cp-2"), _cluster.AddHost("cp-3") };

        await _cluster.RunForAsync(TimeSpan.FromSeconds(30));

        var holder = Assert.Single(hosts, h => h.State == ArbiterState.Leading);
        Assert.Equal(1, _cluster.MaxFullyEligibleAtOnce);
        Assert.All(hosts.Where(h => h != holder), h => Assert.Equal([VrrpEligibility.Barred], h.GateLog.Select(g => g.Eligibility)));
    }

    [Fact]
    public async Task LostQuorum_LastHolderKeepsTheVipAtLowerPriority_NobodyElsePromotes()
    {
        var hosts = new[] { _cluster.AddHost("cp-1"), _cluster.AddHost("cp-2") };
        await _cluster.RunForAsync(TimeSpan.FromSeconds(2));
        var holder = Assert.Single(hosts, h => h.State == ArbiterState.Leading);
        var other = hosts.Single(h => h != holder);

        foreach (var host in hosts)
        {
            host.Fault = ApiFault.NoQuorum;
        }

        await _cluster.RunForAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ArbiterState.Fallback, holder.State);
        Assert.Equal(VrrpEligibility.Fallback, holder.Gate);
        Assert.Equal(ArbiterState.Following, other.State);
        Assert.Equal([VrrpEligibility.Barred], other.GateLog.Select(g => g.Eligibility));

        // Its apiserver now dies as well: somebody else's may be the one that comes back, so it demotes.
        holder.Fault = ApiFault.Unreachable;
        await _cluster.RunForAsync(Options.RenewDeadline + Options.RetryPeriod + TimeSpan.FromMilliseconds(100));
        Assert.Equal(ArbiterState.Following, holder.State);
        Assert.Equal(VrrpEligibility.Barred, holder.Gate);
    }

    [Fact]
    public async Task QuorumReturns_ExactlyOneHostLeads()
    {
        var hosts = new[] { _cluster.AddHost("cp-1"), _cluster.AddHost("cp-2"), _cluster.AddHost("cp-3") };
        await _cluster.RunForAsync(TimeSpan.FromSeconds(2));
        foreach (var host in hosts)
        {
            host.Fault = ApiFault.NoQuorum;
        }

        await _cluster.RunForAsync(TimeSpan.FromSeconds(10));
        foreach (var host in hosts)
        {
            host.Fault = ApiFault.None;
        }

        await _cluster.RunForAsync(TimeSpan.FromSeconds(3));

        Assert.Single(hosts, h => h.State == ArbiterState.Leading);
        Assert.All(hosts.Where(h => h.State != ArbiterState.Leading), h => Assert.Equal(VrrpEligibility.Barred, h.Gate));
        Assert.Equal(1, _cluster.MaxFullyEligibleAtOnce);
    }

    [Fact]
    public async Task OnlyTheHolderCannotWrite_AnotherLeads_AndTheFallbackHolderYieldsByPriorityThenDemotes()
    {
        var holder = _cluster.AddHost("cp-1");
        await _cluster.RunForAsync(TimeSpan.FromSeconds(1));
        var other = _cluster.AddHost("cp-2");
        await _cluster.RunForAsync(TimeSpan.FromSeconds(1));

        holder.Fault = ApiFault.NoQuorum;
        await _cluster.RunForAsync(TimeSpan.FromSeconds(4));

        // Both eligible, the Lease holder at 100 and the fallback holder at 50: with nopreempt the new holder's
        // keepalived waits for the fallback holder to demote, which it does once it learns the Lease moved.
        Assert.Equal(ArbiterState.Leading, other.State);
        Assert.Equal(ArbiterState.Fallback, holder.State);
        Assert.Equal(1, _cluster.MaxFullyEligibleAtOnce);

        holder.Fault = ApiFault.None;
        await _cluster.RunForAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(ArbiterState.Following, holder.State);
        Assert.Equal(VrrpEligibility.Barred, holder.Gate);
    }

    [Fact]
    public async Task Rejoin_DoesNotMoveTheVip()
    {
        var holder = _cluster.AddHost("cp-1");
        _cluster.AddHost("cp-2");
        await _cluster.RunForAsync(TimeSpan.FromSeconds(2));
        var transitions = _cluster.Lease!.Transitions;
        holder.GateLog.Clear();

        var rejoined = _cluster.AddHost("cp-3");
        await _cluster.RunForAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ArbiterState.Leading, holder.State);
        Assert.Empty(holder.GateLog);
        Assert.Equal([VrrpEligibility.Barred], rejoined.GateLog.Select(g => g.Eligibility));
        Assert.Equal(transitions, _cluster.Lease!.Transitions);
    }

    [Fact]
    public async Task GracefulStop_ReleasesFirst_DemotesOnceASuccessorHolds_NeverTwoEligible()
    {
        var holder = _cluster.AddHost("cp-1");
        var successor = _cluster.AddHost("cp-2");
        await _cluster.RunForAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(ArbiterState.Leading, holder.State);
        holder.GateLog.Clear();

        await holder.StopAsync();
        Assert.Null(_cluster.Lease?.Holder);
        Assert.Empty(holder.GateLog);
        await _cluster.RunForAsync((Options.RetryPeriod * 2.5) + TimeSpan.FromMilliseconds(150));

        Assert.Equal(ArbiterState.Leading, successor.State);
        Assert.Equal(ArbiterState.Stopped, holder.State);
        // Barred a retry period after the Lease named the successor (its own step makes it eligible in that
        // time, so its keepalived is a BACKUP that hears our priority-0 advert).
        var demotion = Assert.Single(holder.GateLog);
        Assert.Equal((VrrpEligibility.Barred, "cp-2"), (demotion.Eligibility, demotion.LeaseHolder));
        var promotedAt = successor.GateLog.Last(g => g.Eligibility == VrrpEligibility.Eligible).At;
        Assert.InRange(TimeSpan.FromTicks(demotion.At - promotedAt), TimeSpan.Zero, (Options.RetryPeriod * 1.5) + TimeSpan.FromMilliseconds(10));
    }

    [Fact]
    public async Task GracefulStop_WithNobodyToTakeOver_DemotesWithinThreeRetryPeriods()
    {
        var lone = _cluster.AddHost("cp-1");
        await _cluster.RunForAsync(TimeSpan.FromSeconds(1));
        lone.GateLog.Clear();
        var stoppedAt = _cluster.Time.GetTimestamp();

        await lone.StopAsync();
        await _cluster.RunForAsync((Options.RetryPeriod * 3) + TimeSpan.FromMilliseconds(20));

        var demotion = Assert.Single(lone.GateLog);
        Assert.Equal(VrrpEligibility.Barred, demotion.Eligibility);
        Assert.InRange(TimeSpan.FromTicks(demotion.At - stoppedAt), TimeSpan.Zero, (Options.RetryPeriod * 3) + TimeSpan.FromMilliseconds(10));
        Assert.Null(_cluster.Lease?.Holder);
    }

    [Fact]
    public async Task GracefulStop_WhileFollowing_JustBars()
    {
        _cluster.AddHost("cp-1");
        var follower = _cluster.AddHost("cp-2");
        await _cluster.RunForAsync(TimeSpan.FromSeconds(1));

        await follower.StopAsync();

        Assert.Equal((ArbiterState.Stopped, VrrpEligibility.Barred), (follower.State, follower.Gate));
        Assert.Equal("cp-1", _cluster.Lease?.Holder);
    }

    [Fact]
    public async Task WallClockJump_NeverHandsOverALiveLease()
    {
        var holder = _cluster.AddHost("cp-1");
        var other = _cluster.AddHost("cp-2");
        await _cluster.RunForAsync(TimeSpan.FromSeconds(2));

        _cluster.Time.JumpWallClock(TimeSpan.FromHours(1));
        await _cluster.RunForAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ArbiterState.Leading, holder.State);
        Assert.Equal(ArbiterState.Following, other.State);
        Assert.Equal(1, _cluster.MaxFullyEligibleAtOnce);
    }

    [Fact]
    public async Task SlowApi_AnswersUpToTheRenewDeadlineLate_RenewalsOverlap_AndTheHolderNeverStepsDown()
    {
        var holder = _cluster.AddHost("cp-1");
        var other = _cluster.AddHost("cp-2");
        await _cluster.RunForAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(ArbiterState.Leading, holder.State);
        holder.GateLog.Clear();

        holder.Latency = other.Latency = Options.RenewDeadline * 0.8;
        await _cluster.RunForAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ArbiterState.Leading, holder.State);
        Assert.Empty(holder.GateLog);
        Assert.Equal(ArbiterState.Following, other.State);
        Assert.Equal(1, _cluster.MaxFullyEligibleAtOnce);
    }

    [Fact]
    public async Task ThrottledApi_TheHolderKeepsTheVipInFallback_AndLeadsAgainOnceARenewalIsAnswered()
    {
        var holder = _cluster.AddHost("cp-1");
        var other = _cluster.AddHost("cp-2");
        await _cluster.RunForAsync(TimeSpan.FromSeconds(2));
        holder.GateLog.Clear();

        foreach (var host in new[] { holder, other })
        {
            host.Fault = ApiFault.Throttled;
            host.RetryAfter = TimeSpan.FromSeconds(1);
        }

        await _cluster.RunForAsync(TimeSpan.FromSeconds(10));
        // Answered (429 is an answer): the apiserver lives, the Lease cannot be written; nobody else can take it.
        Assert.Equal((ArbiterState.Fallback, VrrpEligibility.Fallback), (holder.State, holder.Gate));
        Assert.Equal(ArbiterState.Following, other.State);

        holder.Fault = other.Fault = ApiFault.None;
        await _cluster.RunForAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(ArbiterState.Leading, holder.State);
        // Eligible throughout, only the priority changed: the VIP never moved.
        Assert.DoesNotContain(VrrpEligibility.Barred, holder.GateLog.Select(g => g.Eligibility));
        Assert.Equal(1, _cluster.MaxFullyEligibleAtOnce);
    }

    [Fact]
    public async Task Throttled_ARequestIsRetriedAfterItsRetryAfter_WhenThatIsBeforeItsDeadline()
    {
        var lone = _cluster.AddHost("cp-1");
        await _cluster.RunForAsync(TimeSpan.FromSeconds(1));
        lone.Fault = ApiFault.Throttled;
        lone.RetryAfter = TimeSpan.FromSeconds(5);
        var before = lone.Requests;

        await _cluster.RunForAsync(TimeSpan.FromSeconds(2));

        // A Retry-After past the deadline ends each request at its first answer: one request per retry period.
        Assert.InRange(lone.Requests - before, 15, 21);
        lone.RetryAfter = TimeSpan.FromSeconds(0.3);
        before = lone.Requests;
        await _cluster.RunForAsync(TimeSpan.FromSeconds(2));
        // Within the deadline (0.8 s) each renewal is sent again at 0.3 and 0.6 s: three requests per retry period.
        Assert.InRange(lone.Requests - before, 50, 63);
    }

    [Fact]
    public async Task SteppedDown_DoesNotTakeItsOwnLeaseBackWithinALeaseDuration()
    {
        var lone = _cluster.AddHost("cp-1");
        await _cluster.RunForAsync(TimeSpan.FromSeconds(1));
        lone.Fault = ApiFault.Unreachable;
        await _cluster.RunForAsync(Options.RenewDeadline + Options.RetryPeriod);
        Assert.Equal(ArbiterState.Following, lone.State);
        var steppedDownAt = lone.GateLog.Last(g => g.Eligibility == VrrpEligibility.Barred).At;

        lone.Fault = ApiFault.None;
        await _cluster.RunForAsync(Options.LeaseDuration * 2);

        var backAt = lone.GateLog.Last(g => g.Eligibility == VrrpEligibility.Eligible).At;
        Assert.InRange(TimeSpan.FromTicks(backAt - steppedDownAt), Options.LeaseDuration, Options.LeaseDuration + (Options.RetryPeriod * 3));
    }

    [Fact]
    public async Task KeepalivedNotMaster_TheHolderGivesTheLeaseUp_AnotherTakesIt_AndTheHolderStaysOut()
    {
        var holder = _cluster.AddHost("cp-1");
        await _cluster.RunForAsync(TimeSpan.FromSeconds(1));
        var other = _cluster.AddHost("cp-2");
        await _cluster.RunForAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(ArbiterState.Leading, holder.State);

        var lostAt = _cluster.Time.GetTimestamp();
        holder.HoldsVip = false;
        var limit = LeaseArbiter.NotMasterLimit(TimeSpan.FromMilliseconds(100), Options);
        await _cluster.RunForAsync(limit + (Options.RetryPeriod * 4));

        var gaveUpAt = holder.GateLog.Last(g => g.Eligibility == VrrpEligibility.Barred).At;
        Assert.InRange(TimeSpan.FromTicks(gaveUpAt - lostAt), limit, limit + (Options.RetryPeriod * 2));
        Assert.Equal(ArbiterState.Leading, other.State);
        Assert.Equal("cp-2", _cluster.Lease?.Holder);

        other.Fault = ApiFault.Unreachable;
        await _cluster.RunForAsync(Options.LeaseDuration * 1.5);
        // The other host's Lease expired, but the host that gave it up keeps out for two Lease durations.
        Assert.Equal(ArbiterState.Following, holder.State);
        Assert.Equal(1, _cluster.MaxFullyEligibleAtOnce);
    }

    [Fact]
    public async Task EveryStep_RenewsTheSignOfLife()
    {
        var holder = _cluster.AddHost("cp-1");
        var follower = _cluster.AddHost("cp-2");
        await _cluster.RunForAsync(TimeSpan.FromSeconds(3));

        Assert.All(new[] { holder, follower }, h => Assert.InRange(TimeSpan.FromTicks(_cluster.Time.GetTimestamp() - h.AliveRefreshedAt), TimeSpan.Zero, Options.RetryPeriod * 1.3));
    }

    [Fact]
    public void Options_RejectTimingsThatLeaveNoRoomToStepDown()
    {
        // Less than two retry periods between the step-down and the first possible takeover.
        Assert.Throws<ArgumentException>(() => new VipOptions { LeaseDuration = TimeSpan.FromSeconds(1), RenewDeadline = TimeSpan.FromSeconds(0.9) }.Validate());
        // Fewer than four renewals per renew deadline.
        Assert.Throws<ArgumentException>(() => new VipOptions { RetryPeriod = TimeSpan.FromSeconds(0.3) }.Validate());
        Assert.Throws<ArgumentException>(() => new VipOptions { RetryPeriod = TimeSpan.Zero }.Validate());
        new VipOptions().Validate();
    }
}
