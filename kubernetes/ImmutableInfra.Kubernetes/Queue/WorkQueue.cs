namespace ImmutableInfra.Kubernetes.Queue;

/// <summary>
/// A controller work queue (client-go's model): an item queued while waiting is queued once; an item
/// queued while being processed is processed again after <see cref="Done"/>, never concurrently.
/// Rate-limited requeues back off exponentially per item, with jitter and a cap. Urgent items are
/// taken before the others (controller-runtime's priority queue does the same), so work that gates
/// something waiting (a claim) is not queued behind work that only reports progress.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue; WorkQueue is the name controller authors know from client-go.")]
public sealed class WorkQueue<T> : IDisposable
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Queue<T> _queue = new();

    // An item made urgent while it waits in _queue is queued here too; the copy taken second is stale and skipped.
    private readonly Queue<T> _urgent = new();
    private readonly HashSet<T> _urgentItems = [];
    private readonly HashSet<T> _dirty = [];
    private readonly HashSet<T> _processing = [];
    private readonly Dictionary<T, int> _failures = [];
    private readonly Dictionary<T, (ITimer Timer, long DueAt)> _waiting = [];
    private readonly SemaphoreSlim _ready = new(0);
    private readonly WorkQueueOptions _options;
    private readonly TimeProvider _time;
    private bool _shutDown;

    public WorkQueue(WorkQueueOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new WorkQueueOptions();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Items waiting to be taken (not those in process or delayed).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _dirty.Count - _processing.Count(_dirty.Contains);
            }
        }
    }

    public void Add(T item) => Add(item, urgent: false);

    /// <summary>Queues the item (once, however often it is added); urgent items are taken first.</summary>
    public void Add(T item, bool urgent)
    {
        lock (_lock)
        {
            if (_shutDown)
            {
                return;
            }

            var queued = !_dirty.Add(item);
            if (queued && (!urgent || _urgentItems.Contains(item)))
            {
                return;
            }

            if (urgent)
            {
                _urgentItems.Add(item);
            }

            if (_processing.Contains(item))
            {
                // Done() re-queues it: the same key is never processed twice at once.
                return;
            }

            (urgent ? _urgent : _queue).Enqueue(item);
        }

        _ready.Release();
    }

    /// <summary>Adds the item after a delay; an earlier pending delay for it wins.</summary>
    public void AddAfter(T item, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(item);
            return;
        }

        lock (_lock)
        {
            if (_shutDown)
            {
                return;
            }

            var dueAt = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
            if (_waiting.TryGetValue(item, out var pending))
            {
                if (pending.DueAt <= dueAt)
                {
                    return;
                }

                pending.Timer.Dispose();
            }

            var timer = _time.CreateTimer(_ => Fire(item), null, delay, Timeout.InfiniteTimeSpan);
            _waiting[item] = (timer, dueAt);
        }
    }

    /// <summary>Requeues after this item's next backoff step (base * 2^failures, capped, jittered).</summary>
    public void AddRateLimited(T item)
    {
        int failures;
        lock (_lock)
        {
            failures = _failures.GetValueOrDefault(item);
            _failures[item] = failures + 1;
        }

        var ceiling = Math.Min(_options.MaxDelay.TotalMilliseconds, _options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 40)));
        AddAfter(item, TimeSpan.FromMilliseconds(ceiling * (0.9 + Random.Shared.NextDouble() * 0.1)));
    }

    /// <summary>Resets the item's backoff (call after it was processed successfully).</summary>
    public void Forget(T item)
    {
        lock (_lock)
        {
            _failures.Remove(item);
        }
    }

    public int Failures(T item)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(item);
        }
    }

    /// <summary>Waits for the next item; (false, default) once the queue is shut down.</summary>
    public async Task<(bool Ok, T Item)> TakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                if (_shutDown)
                {
                    _ready.Release();
                    return (false, default!);
                }

                // One wake per queued copy: a stale copy (already taken from the other queue) just waits again.
                if ((_urgent.TryDequeue(out var item) || _queue.TryDequeue(out item)) && _dirty.Contains(item) && !_processing.Contains(item))
                {
                    _dirty.Remove(item);
                    _urgentItems.Remove(item);
                    _processing.Add(item);
                    return (true, item);
                }
            }
        }
    }

    /// <summary>Marks the item processed; if it was added meanwhile it is queued again now.</summary>
    public void Done(T item)
    {
        lock (_lock)
        {
            _processing.Remove(item);
            if (!_dirty.Contains(item) || _shutDown)
            {
                return;
            }

            (_urgentItems.Contains(item) ? _urgent : _queue).Enqueue(item);
        }

        _ready.Release();
    }

    public void ShutDown()
    {
        lock (_lock)
        {
            _shutDown = true;
            foreach (var (timer, _) in _waiting.Values)
            {
                timer.Dispose();
            }

            _waiting.Clear();
        }

        _ready.Release();
    }

    public void Dispose()
    {
        ShutDown();
        _ready.Dispose();
    }

    private void Fire(T item)
    {
        lock (_lock)
        {
            if (_waiting.Remove(item, out var pending))
            {
                pending.Timer.Dispose();
            }
        }

        Add(item);
    }
}
