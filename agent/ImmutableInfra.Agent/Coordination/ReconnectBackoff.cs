namespace ImmutableInfra.Agent.Coordination;

/// <summary>
/// Exponential backoff with full jitter: the n-th consecutive failure waits a uniformly random time
/// in [0, min(cap, min·2ⁿ)]. Full jitter spreads a fleet that lost its coordinator at the same moment
/// over the whole window instead of letting it reconnect in waves.
/// </summary>
internal sealed class ReconnectBackoff
{
    private readonly TimeSpan _min;
    private readonly Func<double> _random;
    private readonly TimeProvider _timeProvider;
    private int _attempt;

    /// <param name="min">The window of the first retry.</param>
    /// <param name="max">The largest window (the cap).</param>
    /// <param name="random">Uniform samples in [0, 1).</param>
    /// <param name="timeProvider">The clock waits run on.</param>
    public ReconnectBackoff(TimeSpan min, TimeSpan max, Func<double> random, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        _min = min;
        Cap = max;
        _random = random;
        _timeProvider = timeProvider;
    }

    /// <summary>The largest window; the coordinator may change it (SyncSettings.max_reconnect_backoff).</summary>
    public TimeSpan Cap { get; set; }

    /// <summary>The window the next delay is drawn from.</summary>
    public TimeSpan CurrentWindow
    {
        get
        {
            // 2^30 · min overflows nothing and is far past any sane cap.
            var factor = Math.Pow(2, Math.Min(_attempt, 30));
            var window = _min.TotalMilliseconds * factor;
            return TimeSpan.FromMilliseconds(Math.Min(window, (Cap > _min ? Cap : _min).TotalMilliseconds));
        }
    }

    /// <summary>Draws the next delay and widens the window for the one after.</summary>
    public TimeSpan NextDelay()
    {
        var delay = TimeSpan.FromMilliseconds(CurrentWindow.TotalMilliseconds * _random());
        _attempt++;
        return delay;
    }

    /// <summary>Waits <paramref name="delay"/> on the backoff's clock.</summary>
    public Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) => Task.Delay(delay, _timeProvider, cancellationToken);

    /// <summary>Back to the first window (after a connection that stayed healthy).</summary>
    public void Reset() => _attempt = 0;
}
