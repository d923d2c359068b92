using System.Threading.RateLimiting;
using ImmutableInfra.Coordinator.Hosting;

namespace ImmutableInfra.Coordinator.AgentApi;

/// <summary>
/// How many API writes each host's agent may cause per second on this replica: one token bucket per host (the
/// partitioned limiter drops idle ones), shared by all of that host's streams, so reconnecting does not refill it.
/// Writers wait for a token instead of being refused: a good host's report is delayed, never lost.
/// </summary>
internal sealed class HostWriteBudget(CoordinatorOptions options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(host =>
        RateLimitPartition.GetTokenBucketLimiter(host, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = options.HostWriteBurst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1 / options.HostWritesPerSecond),
            // A replaced stream's last write and its successor's first may wait together; more waiters are a bug.
            QueueLimit = 4,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }));

    /// <summary>Waits until <paramref name="hostKey"/> may write once more.</summary>
    public async Task WaitAsync(string hostKey, CancellationToken ct)
    {
        while (true)
        {
            using var lease = await _limiter.AcquireAsync(hostKey, 1, ct).ConfigureAwait(false);
            if (lease.IsAcquired)
            {
                return;
            }

            // The queue is full: wait one replenishment and try again rather than write unbudgeted.
            await Task.Delay(TimeSpan.FromSeconds(1 / options.HostWritesPerSecond), ct).ConfigureAwait(false);
        }
    }

    public void Dispose() => _limiter.Dispose();
}
