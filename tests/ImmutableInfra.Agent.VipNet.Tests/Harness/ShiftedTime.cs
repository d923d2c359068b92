namespace ImmutableInfra.Agent.VipNet.Harness;

/// <summary>The system clock with a wall-clock offset that a test can jump; timestamps (the monotonic clock) stay real.</summary>
internal sealed class ShiftedTime : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
