using ImmutableInfra.Kubernetes.LeaderElection;
using ImmutableInfra.Kubernetes.Tests.Fixtures;
using ImmutableInfra.Testing;

namespace ImmutableInfra.Kubernetes.Tests.LeaderElection;

public sealed class LeaseLeaderElectorTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RenewDeadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(2);

    private readonly FakeTimeProvider _time = new();
    private readonly FakeLeaseStore _store = new();
    private readonly List<(LeaseLeaderElector Elector, FakeLeaseClient Client)> _candidates = [];
    private readonly HashSet<string> _stopped = [];
    private TimeSpan _elapsed;

    public LeaseLeaderElectorTests()
    {
        foreach (var name in new[] { "a", "b", "c" })
        {
            var client = new FakeLeaseClient(_store);
            var elector = new LeaseLeaderElector(client, new LeaderElectionOptions
            {
                LeaseNamespace = "kube-system",
                LeaseName = "vip",
                Identity = name,
                LeaseDuration = LeaseDuration,
                RenewDeadline = RenewDeadline,
                RetryPeriod = RetryPeriod,
            }, _time);
            _candidates.Add((elector, client));
        }
    }

    private LeaseLeaderElector Candidate(string name) => _candidates.Single(c => c.Elector.Identity == name).Elector;

    private FakeLeaseClient ClientOf(string name) => _candidates.Single(c => c.Elector.Identity == name).Client;

    private string? Leader => _candidates.Select(c => c.Elector).SingleOrDefault(e => e.IsLeader)?.Identity;

    /// <summary>Runs the candidates for a while, checking after every step and every tick that at most one leads.</summary>
    private async Task RunAsync(TimeSpan duration, Func<bool>? until = null)
    {
        var end = _elapsed + duration;
        while (_elapsed < end && until?.Invoke() != true)
        {
            _time.Advance(Step);
            _elapsed += Step;
            AssertAtMostOneLeader();
            foreach (var (elector, _) in _candidates.Where(c => !_stopped.Contains(c.Elector.Identity)))
            {
                await elector.TickAsync(CancellationToken.None);
                AssertAtMostOneLeader();
            }
        }
    }

    private void AssertAtMostOneLeader()
    {
        var leaders = _candidates.Count(c => c.Elector.IsLeader);
        Assert.True(leaders <= 1, $"{leaders} leaders at {_elapsed}");
    }

    [Fact]
    public async Task ThreeCandidates_ExactlyOneLeaderAtEveryInstant()
    {
        await RunAsync(TimeSpan.FromSeconds(5), () => Leader is not null);
        var leader = Leader;

        for (var i = 0; i < 600; i++)
        {
            await RunAsync(Step);
            Assert.Equal(leader, Leader);
        }

        Assert.NotNull(leader);
        Assert.Equal(leader, _store.Current!.Spec!.HolderIdentity);
        Assert.Equal(0, _store.Current.Spec.LeaseTransitions);
    }

    [Fact]
    public async Task Takeover_AfterLeaderCrash_OnlyOnceTheLeaseHasExpired()
    {
        await RunAsync(TimeSpan.FromSeconds(5), () => Leader is not null);
        var crashed = Leader!;
        await RunAsync(TimeSpan.FromSeconds(3));
        var lastRenew = _store.Current!.Metadata.ResourceVersion;
        _stopped.Add(crashed);
        var crashedAt = _elapsed;

        await RunAsync(TimeSpan.FromSeconds(60), () => Leader is not null && Leader != crashed);
        var takeoverAfter = _elapsed - crashedAt;

        Assert.NotEqual(crashed, Leader);
        Assert.NotEqual(lastRenew, _store.Current!.Metadata.ResourceVersion);
        Assert.True(takeoverAfter >= LeaseDuration - RetryPeriod * 1.2, $"took over after {takeoverAfter}");
        Assert.True(takeoverAfter <= LeaseDuration + RetryPeriod * 1.2 + Step, $"took over after {takeoverAfter}");
        Assert.Equal(1, _store.Current.Spec!.LeaseTransitions);
    }

    [Fact]
    public async Task Release_OnGracefulStop_LetsAnotherTakeOverAtOnce()
    {
        await RunAsync(TimeSpan.FromSeconds(5), () => Leader is not null);
        var first = Leader!;
        var stopped = new List<string?>();
        Candidate(first).StoppedLeading += (_, e) => stopped.Add(e.Identity);

        await Candidate(first).ReleaseAsync(CancellationToken.None);
        _stopped.Add(first);
        var released = _store.Current!.Spec!;
        var releasedAt = _elapsed;
        await RunAsync(TimeSpan.FromSeconds(10), () => Leader is not null);

        Assert.Null(released.HolderIdentity);
        Assert.Equal(0, released.LeaseTransitions);
        Assert.Equal([first], stopped);
        Assert.NotNull(Leader);
        Assert.True(_elapsed - releasedAt <= RetryPeriod * 1.2 + Step, $"took over after {_elapsed - releasedAt}");
        Assert.Equal(1, _store.Current!.Spec!.LeaseTransitions);
    }

    [Fact]
    public async Task LeaderWhoseRenewalsFail_StepsDownBeforeItsLeaseExpires()
    {
        await RunAsync(TimeSpan.FromSeconds(5), () => Leader is not null);
        var failing = Leader!;
        await RunAsync(TimeSpan.FromSeconds(3));
        var renewalsStopAt = _elapsed;
        ClientOf(failing).Failing = true;

        await RunAsync(TimeSpan.FromSeconds(30), () => !Candidate(failing).IsLeader);
        var steppedDownAfter = _elapsed - renewalsStopAt;
        await RunAsync(TimeSpan.FromSeconds(30), () => Leader is not null);
        var successorAfter = _elapsed - renewalsStopAt;

        Assert.True(steppedDownAfter <= RenewDeadline + Step, $"stepped down after {steppedDownAfter}");
        Assert.True(steppedDownAfter < LeaseDuration - RetryPeriod, $"stepped down after {steppedDownAfter}");
        Assert.True(successorAfter > steppedDownAfter);
        Assert.NotEqual(failing, Leader);
    }

    [Fact]
    public async Task WallClockJump_DoesNotCauseASecondLeaderOrATakeover()
    {
        await RunAsync(TimeSpan.FromSeconds(5), () => Leader is not null);
        var leader = Leader;

        _time.JumpWallClock(TimeSpan.FromHours(1));
        await RunAsync(TimeSpan.FromSeconds(30));
        _time.JumpWallClock(TimeSpan.FromHours(-3));
        await RunAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(leader, Leader);
        Assert.Equal(0, _store.Current!.Spec!.LeaseTransitions);
    }

    [Fact]
    public async Task Events_ReportStartAndObservedLeader_WithTheFencingToken()
    {
        var started = new List<(string?, int)>();
        var observed = new List<string?>();
        foreach (var (elector, _) in _candidates)
        {
            elector.StartedLeading += (_, e) => started.Add((e.Identity, e.LeaseTransitions));
            elector.NewLeaderObserved += (_, e) => observed.Add(e.Identity);
        }

        await RunAsync(TimeSpan.FromSeconds(10));
        var leader = Leader!;

        Assert.Equal([(leader, 0)], started);
        Assert.Equal(0, Candidate(leader).FencingToken);
        Assert.All(_candidates.Where(c => c.Elector.Identity != leader), c => Assert.Null(c.Elector.FencingToken));
        Assert.All(observed, o => Assert.Equal(leader, o));
        Assert.Equal(3, observed.Count);
    }

    [Fact]
    public void Options_RenewDeadlineNotBelowLeaseDuration_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => new LeaseLeaderElector(new FakeLeaseClient(_store), new LeaderElectionOptions
        {
            LeaseNamespace = "ns",
            LeaseName = "l",
            Identity = "x",
            LeaseDuration = TimeSpan.FromSeconds(10),
            RenewDeadline = TimeSpan.FromSeconds(10),
        }));
    }
}
