namespace ImmutableInfra.Kubernetes.Client;

/// <summary>Timeouts, retries, limits and optional client-side rate limiting of one <see cref="KubeClient"/>.</summary>
public sealed class KubeClientOptions
{
    /// <summary>Timeout of one attempt of a non-watch request (sending and reading the body).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Server-side <c>timeoutSeconds</c> of a watch; the client gives up <see cref="WatchGrace"/> later.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan WatchGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per request, first included (429, 5xx, timeouts and connection errors are retried).</summary>
    public int MaxAttempts { get; set; } = 5;

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Cap on a server's Retry-After so a bad header cannot park a caller.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Requests per second of the token bucket; 0 turns client-side rate limiting off.</summary>
    public double Qps { get; set; }

    public int Burst { get; set; } = 10;

    /// <summary>
    /// Suspend the token bucket while the API server answers with API Priority and Fairness headers
    /// (<c>X-Kubernetes-PF-*</c>, on by default since Kubernetes 1.20, GA in 1.29): such a server queues and sheds load
    /// itself (429 with Retry-After, which is retried), so a fixed client budget only adds latency. A server without
    /// those headers gets the bucket again, from its next response on.
    /// </summary>
    public bool DeferToServerFlowControl { get; set; }

    /// <summary>Largest response body read into memory (lists); larger bodies fail instead of exhausting memory.</summary>
    public long MaxResponseBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Longest watch line accepted (one event = one object; etcd's object limit is 1.5 MiB).</summary>
    public int MaxWatchLineBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>How long a token read from a file is used before it is read again (it rotates).</summary>
    public TimeSpan TokenRefreshInterval { get; set; } = TimeSpan.FromMinutes(1);

    public string UserAgent { get; set; } = "immutableinfra";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        Check(RequestTimeout > TimeSpan.Zero, nameof(RequestTimeout), "must be positive");
        Check(WatchTimeout >= TimeSpan.FromSeconds(1), nameof(WatchTimeout), "must be at least one second");
        Check(WatchGrace > TimeSpan.Zero, nameof(WatchGrace), "must be positive");
        Check(MaxAttempts is >= 1 and <= 20, nameof(MaxAttempts), "must be 1..20");
        Check(InitialBackoff > TimeSpan.Zero && MaxBackoff >= InitialBackoff, nameof(MaxBackoff), "must be >= InitialBackoff > 0");
        Check(MaxRetryAfter >= TimeSpan.Zero, nameof(MaxRetryAfter), "must not be negative");
        Check(Qps >= 0 && (Qps == 0 || Burst >= 1), nameof(Qps), "must be >= 0, with Burst >= 1");
        Check(MaxResponseBytes >= 1024, nameof(MaxResponseBytes), "must be at least 1 KiB");
        Check(MaxWatchLineBytes >= 1024, nameof(MaxWatchLineBytes), "must be at least 1 KiB");
        Check(TokenRefreshInterval > TimeSpan.Zero, nameof(TokenRefreshInterval), "must be positive");
    }

    private static void Check(bool ok, string name, string message)
    {
        if (!ok)
        {
            throw new ArgumentException($"KubeClientOptions.{name} {message}", name);
        }
    }
}
