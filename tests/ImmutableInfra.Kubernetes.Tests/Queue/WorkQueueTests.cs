using ImmutableInfra.Kubernetes.Queue;
using ImmutableInfra.Kubernetes.Tests.Fixtures;
using ImmutableInfra.Testing;

namespace ImmutableInfra.Kubernetes.Tests.Queue;

public sealed class WorkQueueTests
{
    [Fact]
    public async Task Add_SameKeyTwiceWhileWaiting_IsQueuedOnce()
    {
        using var queue = new WorkQueue<string>();
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");

        Assert.Equal(2, queue.Count);
        Assert.Equal((true, "a"), await queue.TakeAsync(CancellationToken.None));
        Assert.Equal((true, "b"), await queue.TakeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Add_KeyBeingProcessed_IsProcessedAgainAfterDone_NotConcurrently()
    {
        using var queue = new WorkQueue<string>();
        queue.Add("a");
        var (_, item) = await queue.TakeAsync(CancellationToken.None);

        queue.Add("a");
        var waiting = queue.Count;
        queue.Done(item);

        Assert.Equal(0, waiting);
        Assert.Equal(1, queue.Count);
        Assert.Equal((true, "a"), await queue.TakeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AddUrgent_IsTakenFirst_AndAnItemMadeUrgentWhileQueuedIsTakenOnce()
    {
        using var queue = new WorkQueue<string>();
        queue.Add("a");
        queue.Add("b");
        queue.Add("c");
        queue.Add("d", urgent: true);
        queue.Add("b", urgent: true);
        queue.Add("b", urgent: true);

        Assert.Equal(4, queue.Count);
        var taken = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var (ok, item) = await queue.TakeAsync(CancellationToken.None);
            Assert.True(ok);
            taken.Add(item);
            queue.Done(item);
        }

        Assert.Equal(["d", "b", "a", "c"], taken);
        Assert.Equal(0, queue.Count);
        // The stale copy of "b" left in the normal lane is not handed out again.
        using var none = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.TakeAsync(none.Token));
    }

    [Fact]
    public async Task AddUrgent_WhileProcessing_RequeuesUrgentAfterDone()
    {
        using var queue = new WorkQueue<string>();
        queue.Add("a");
        var (_, item) = await queue.TakeAsync(CancellationToken.None);
        queue.Add("b");
        queue.Add("a", urgent: true);

        queue.Done(item);

        Assert.Equal((true, "a"), await queue.TakeAsync(CancellationToken.None));
        Assert.Equal((true, "b"), await queue.TakeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AddRateLimited_BacksOffExponentiallyPerItem_UpToTheCap()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(new WorkQueueOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(4) }, time);
        var readyAfter = new List<double>();
        for (var failure = 0; failure < 5; failure++)
        {
            queue.AddRateLimited("a");
            var waited = 0.0;
            while (queue.Count == 0)
            {
                time.Advance(TimeSpan.FromMilliseconds(50));
                waited += 0.05;
            }

            readyAfter.Add(waited);
            var taken = await queue.TakeAsync(CancellationToken.None);
            queue.Done(taken.Item);
        }

        // base * 2^n with at most 10% jitter below, capped at MaxDelay.
        double[] expected = [1, 2, 4, 4, 4];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.InRange(readyAfter[i], expected[i] * 0.9 - 0.05, expected[i] + 0.05);
        }

        queue.Forget("a");
        Assert.Equal(0, queue.Failures("a"));
    }

    [Fact]
    public void AddAfter_EarlierPendingDelayWins()
    {
        var time = new FakeTimeProvider();
        using var queue = new WorkQueue<string>(timeProvider: time);
        queue.AddAfter("a", TimeSpan.FromSeconds(1));
        queue.AddAfter("a", TimeSpan.FromSeconds(10));

        time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task Workers_BoundedConcurrency_NeverProcessTheSameKeyTwiceAtOnce()
    {
        using var queue = new WorkQueue<string>();
        using var stop = new CancellationTokenSource();
        var running = 0;
        var maxRunning = 0;
        var perKey = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var overlap = false;
        var processed = 0;
        var workers = WorkQueueWorkers.RunAsync(queue, 3, async (key, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            if (perKey.AddOrUpdate(key, 1, (_, v) => v + 1) > 1)
            {
                overlap = true;
            }

            await Task.Delay(5, ct);
            perKey.AddOrUpdate(key, 0, (_, v) => v - 1);
            Interlocked.Decrement(ref running);
            Interlocked.Increment(ref processed);
            return WorkResult.Done;
        }, cancellationToken: stop.Token);

        for (var round = 0; round < 20; round++)
        {
            for (var k = 0; k < 6; k++)
            {
                queue.Add($"key-{k}");
            }

            await Task.Delay(2);
        }

        await Eventually.TrueAsync(() => queue.Count == 0 && Volatile.Read(ref running) == 0 && processed >= 6, "queue drained");
        queue.ShutDown();
        await workers;

        Assert.False(overlap);
        Assert.InRange(maxRunning, 1, 3);
    }

    [Fact]
    public async Task Workers_FailingItem_IsRetriedWithBackoff()
    {
        using var queue = new WorkQueue<string>(new WorkQueueOptions { BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(10) });
        var attempts = 0;
        var workers = WorkQueueWorkers.RunAsync(queue, 1, (_, _) =>
        {
            if (Interlocked.Increment(ref attempts) < 3)
            {
                throw new InvalidOperationException("transient");
            }

            return Task.FromResult(WorkResult.Done);
        });

        queue.Add("a");
        await Eventually.TrueAsync(() => Volatile.Read(ref attempts) >= 3, "third attempt");
        queue.ShutDown();
        await workers;

        Assert.Equal(3, attempts);
        Assert.Equal(0, queue.Failures("a"));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
