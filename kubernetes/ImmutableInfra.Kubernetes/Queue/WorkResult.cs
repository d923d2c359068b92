namespace ImmutableInfra.Kubernetes.Queue;

/// <summary>What a reconcile asks of the queue: done, retry with backoff, or come back after a delay.</summary>
public readonly record struct WorkResult(bool Requeue, TimeSpan? RequeueAfter)
{
    public static WorkResult Done { get; } = new(false, null);

    public static WorkResult Retry { get; } = new(true, null);

    public static WorkResult After(TimeSpan delay) => new(false, delay);
}
