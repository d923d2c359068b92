namespace ImmutableInfra.Kubernetes.Client;

/// <summary>Exponential backoff with jitter and a cap; a server's Retry-After wins, within its own cap.</summary>
internal static class RetryBackoff
{
    public static TimeSpan Delay(int attempt, KubeClientOptions options, TimeSpan? retryAfter)
    {
        if (retryAfter is { } after)
        {
            return after > options.MaxRetryAfter ? options.MaxRetryAfter : after;
        }

        var exponent = Math.Min(attempt - 1, 30);
        var ceiling = Math.Min(options.MaxBackoff.TotalMilliseconds, options.InitialBackoff.TotalMilliseconds * Math.Pow(2, exponent));

        // "Equal jitter": half fixed so retries do not collapse to zero, half random to spread a herd.
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }
}
