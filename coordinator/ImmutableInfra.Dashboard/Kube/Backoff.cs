namespace ImmutableInfra.Dashboard.Kube;

/// <summary>Exponential backoff with ±20% jitter, so that many dashboards do not retry in step.</summary>
internal sealed class Backoff(TimeSpan first, TimeSpan max)
{
    private TimeSpan? _next;

    public TimeSpan Next()
    {
        var current = _next ?? first;
        _next = TimeSpan.FromTicks(Math.Min(max.Ticks, current.Ticks * 2));
        return current * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }

    public void Reset() => _next = null;
}
