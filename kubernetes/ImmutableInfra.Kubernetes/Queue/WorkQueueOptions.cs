namespace ImmutableInfra.Kubernetes.Queue;

/// <summary>Per-item exponential backoff of rate-limited requeues.</summary>
public sealed class WorkQueueOptions
{
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(5);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    public void Validate()
    {
        if (BaseDelay <= TimeSpan.Zero || MaxDelay < BaseDelay)
        {
            throw new ArgumentException("WorkQueueOptions: 0 < BaseDelay <= MaxDelay is required");
        }
    }
}
