using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>The heartbeat interval and reconnect cap in force: the config's, until the coordinator's SyncSettings replace them.</summary>
internal sealed class SyncPacing(CoordinationOptions options, ReconnectBackoff backoff)
{
    // A coordinator bug must not make ten thousand agents heartbeat every millisecond or never reconnect.
    private static readonly TimeSpan ShortestHeartbeat = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestHeartbeat = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromMinutes(30);

    private long _heartbeatTicks = options.HeartbeatInterval.Ticks;

    public TimeSpan HeartbeatInterval => TimeSpan.FromTicks(Interlocked.Read(ref _heartbeatTicks));

    /// <summary>Applies the coordinator's non-zero settings (zero means "keep your default").</summary>
    public void Apply(SyncSettings? settings)
    {
        if (settings is null)
        {
            return;
        }

        if (settings.HeartbeatInterval?.ToTimeSpan() is { } heartbeat && heartbeat > TimeSpan.Zero)
        {
            Interlocked.Exchange(ref _heartbeatTicks, Math.Clamp(heartbeat.Ticks, ShortestHeartbeat.Ticks, LongestHeartbeat.Ticks));
        }

        if (settings.MaxReconnectBackoff?.ToTimeSpan() is { } cap && cap > TimeSpan.Zero)
        {
            backoff.Cap = TimeSpan.FromTicks(Math.Clamp(cap.Ticks, options.ReconnectBackoffMin.Ticks, LongestBackoff.Ticks));
        }
    }
}
