namespace ImmutableInfra.Agent.Hosting;

/// <summary>
/// Gives the memory of a burst of work (start-up, a bootstrap, a reset) back to the OS once the agent has been idle
/// for <see cref="QuietPeriod"/>: one compacting collection that also decommits what it frees.
/// </summary>
/// <remarks>
/// The idle agent allocates too little for the GC to ever collect on its own, so the young region that start-up
/// filled stayed committed for the agent's whole life: ~1.7 MiB of the idle agent's ~21.5 MiB (docs/benchmarks.md,
/// Agent footprint). Each status change restarts the wait, so a release never lands in the middle of work.
/// </remarks>
internal sealed class IdleHeapRelease(TimeProvider time, Action release) : IDisposable
{
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private ITimer? _pending;
    private long _generation;
    private bool _disposed;

    /// <summary>This process's heap: a blocking, compacting, decommitting collection of every generation.</summary>
    public static void CollectAndDecommit() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    /// <summary>The agent is idle as of now: release after the quiet period, unless something changes first.</summary>
    public void Idle()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _pending?.Dispose();
            _pending = time.CreateTimer(Fire, ++_generation, QuietPeriod, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The agent is at work: no release until it is idle again.</summary>
    public void Busy()
    {
        lock (_gate)
        {
            _pending?.Dispose();
            _pending = null;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _pending?.Dispose();
            _pending = null;
        }
    }

    private void Fire(object? generation)
    {
        lock (_gate)
        {
            // A timer replaced by a later Idle() or cancelled by Busy() may still fire once; only the current one counts.
            if (_disposed || _pending is null || (long)generation! != _generation)
            {
                return;
            }

            _pending.Dispose();
            _pending = null;
        }

        release();
    }
}
