using Microsoft.Extensions.Hosting.Systemd;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Agent.Hosting;
using ImmutableInfra.Testing;
using NSubstitute;

namespace ImmutableInfra.Agent.Tests.Hosting;

public sealed class IdleHeapReleaseTests
{
    private readonly FakeTimeProvider _time = new();
    private int _releases;

    [Fact]
    public void Idle_ReleasesOnceAfterTheQuietPeriod()
    {
        using var heap = new IdleHeapRelease(_time, () => _releases++);

        heap.Idle();
        _time.Advance(IdleHeapRelease.QuietPeriod - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, _releases);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _releases);
        _time.Advance(IdleHeapRelease.QuietPeriod * 10);
        Assert.Equal(1, _releases);
    }

    [Fact]
    public void EachChangeWhileIdle_RestartsTheWait_AndWorkCancelsIt()
    {
        using var heap = new IdleHeapRelease(_time, () => _releases++);

        heap.Idle();
        _time.Advance(IdleHeapRelease.QuietPeriod / 2);
        heap.Idle();
        _time.Advance(IdleHeapRelease.QuietPeriod / 2);
        Assert.Equal(0, _releases);
        heap.Busy();
        _time.Advance(IdleHeapRelease.QuietPeriod * 2);
        Assert.Equal(0, _releases);

        heap.Dispose();
        heap.Idle();
        _time.Advance(IdleHeapRelease.QuietPeriod * 2);
        Assert.Equal(0, _releases);
    }

    [Fact]
    public void LinkStatus_WaitsForTheHostToBeIdle_NotForTheLink()
    {
        using var heap = new IdleHeapRelease(_time, () => _releases++);
        var status = new LinkStatus(new AgentStatus(Substitute.For<ISystemdNotifier>()), heap);

        status.SetActivity("provisioning step 3/12");
        status.SetLink("connected");
        _time.Advance(IdleHeapRelease.QuietPeriod * 2);
        Assert.Equal(0, _releases);

        status.SetActivity(LinkStatus.Idle);
        status.SetLink("retrying in 8s: unavailable");
        _time.Advance(IdleHeapRelease.QuietPeriod);
        Assert.Equal(1, _releases);
    }

    [Fact]
    public void CollectAndDecommit_RunsACompactingCollectionOfEveryGeneration()
    {
        var before = GC.CollectionCount(GC.MaxGeneration);
        _ = Enumerable.Range(0, 10_000).Select(i => new byte[64]).ToList();

        IdleHeapRelease.CollectAndDecommit();

        Assert.True(GC.CollectionCount(GC.MaxGeneration) > before);
        var last = GC.GetGCMemoryInfo(GCKind.FullBlocking);
        Assert.Equal(GC.MaxGeneration, last.Generation);
        Assert.True(last.Compacted);
    }
}
