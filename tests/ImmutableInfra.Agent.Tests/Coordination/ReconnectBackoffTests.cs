using Google.Protobuf.WellKnownTypes;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Testing;

namespace ImmutableInfra.Agent.Tests.Coordination;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    private static Func<double> Sequence(params double[] samples)
    {
        var index = 0;
        return () => samples[index++ % samples.Length];
    }

    [Fact]
    public void NextDelay_ConsecutiveFailures_WindowDoublesUpToTheCap()
    {
        var backoff = new ReconnectBackoff(Min, Max, () => 1.0, new FakeTimeProvider());

        var delays = Enumerable.Range(0, 8).Select(_ => backoff.NextDelay().TotalSeconds).ToList();

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], delays);
    }

    [Fact]
    public void NextDelay_DrawsUniformlyWithinTheWindow_FullJitter()
    {
        var backoff = new ReconnectBackoff(Min, Max, Sequence(0.0, 0.5, 0.25, 0.9), new FakeTimeProvider());

        var delays = Enumerable.Range(0, 4).Select(_ => backoff.NextDelay()).ToList();

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(7.2)], delays);
    }

    [Fact]
    public void NextDelay_WithRealRandomness_SpreadsAndNeverExceedsTheCap()
    {
        var random = new Random(20261121);
        var backoff = new ReconnectBackoff(Min, Max, random.NextDouble, new FakeTimeProvider());
        for (var i = 0; i < 6; i++)
        {
            backoff.NextDelay();
        }

        var capped = Enumerable.Range(0, 200).Select(_ => backoff.NextDelay()).ToList();

        Assert.All(capped, d => Assert.InRange(d, TimeSpan.Zero, Max));
        Assert.True(capped.Distinct().Count() > 150, "delays at the cap are still jittered");
    }

    [Fact]
    public void Reset_AfterAHealthyStream_StartsAtTheFirstWindowAgain()
    {
        var backoff = new ReconnectBackoff(Min, Max, () => 1.0, new FakeTimeProvider());
        backoff.NextDelay();
        backoff.NextDelay();
        backoff.NextDelay();

        backoff.Reset();

        Assert.Equal(Min, backoff.NextDelay());
    }

    [Fact]
    public async Task WaitAsync_WaitsOnTheGivenClock()
    {
        var clock = new FakeTimeProvider();
        var backoff = new ReconnectBackoff(Min, Max, () => 1.0, clock);
        var delay = backoff.NextDelay();

        var wait = backoff.WaitAsync(delay, CancellationToken.None);
        clock.Advance(delay - TimeSpan.FromMilliseconds(1));
        Assert.False(wait.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));

        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void SyncSettings_MaxReconnectBackoff_BecomesTheNewCap()
    {
        var backoff = new ReconnectBackoff(Min, Max, () => 1.0, new FakeTimeProvider());
        var pacing = new SyncPacing(new CoordinationOptions { ReconnectBackoffMin = Min, ReconnectBackoffMax = Max }, backoff);

        pacing.Apply(new SyncSettings { MaxReconnectBackoff = Duration.FromTimeSpan(TimeSpan.FromSeconds(5)), HeartbeatInterval = Duration.FromTimeSpan(TimeSpan.FromSeconds(10)) });

        Assert.Equal([1, 2, 4, 5, 5], Enumerable.Range(0, 5).Select(_ => backoff.NextDelay().TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(10), pacing.HeartbeatInterval);
    }

    [Fact]
    public void SyncSettings_ZeroOrAbsurdValues_KeepSaneBounds()
    {
        var backoff = new ReconnectBackoff(Min, Max, () => 1.0, new FakeTimeProvider());
        var pacing = new SyncPacing(new CoordinationOptions { HeartbeatInterval = TimeSpan.FromSeconds(30), ReconnectBackoffMin = Min }, backoff);

        pacing.Apply(new SyncSettings { HeartbeatInterval = new Duration() });
        Assert.Equal(TimeSpan.FromSeconds(30), pacing.HeartbeatInterval);

        pacing.Apply(new SyncSettings { HeartbeatInterval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(1)), MaxReconnectBackoff = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(1)) });
        Assert.Equal(TimeSpan.FromSeconds(1), pacing.HeartbeatInterval);
        Assert.Equal(Min, backoff.Cap);
    }

    [Theory]
    [InlineData(0.0, 30)]
    [InlineData(0.5, 27)]
    [InlineData(1.0, 24)]
    public void HeartbeatJitter_ShortensByUpToTwentyPercent(double sample, double expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), Jitter.Shorten(TimeSpan.FromSeconds(30), 0.2, () => sample));
    }
}
