namespace ImmutableInfra.Kubernetes.Client;

/// <summary>Client-side QPS/burst limiter of one client instance, on the TimeProvider's monotonic clock.</summary>
internal sealed class TokenBucketRateLimiter(double qps, int burst, TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private double _tokens = burst;
    private long _last = timeProvider.GetTimestamp();

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_lock)
        {
            var now = timeProvider.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + timeProvider.GetElapsedTime(_last, now).TotalSeconds * qps);
            _last = now;

            // Reserve the token now (the bucket may go negative) so waiters are served in order.
            _tokens -= 1;
            if (_tokens >= 0)
            {
                return Task.CompletedTask;
            }

            wait = TimeSpan.FromSeconds(-_tokens / qps);
        }

        return Task.Delay(wait, timeProvider, cancellationToken);
    }
}
