namespace ImmutableInfra.Kubernetes.Queue;

/// <summary>
/// A controller work queue (client-go's model): an item queued while waiting is queued once; an item
/// queued while being processed is processed again after <see cref="Done"/>, never concurrently.
/// Rate-limited requeues back off exponentially per item, with jitter and a cap.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "It is a queue; WorkQueue is the name controller authors know from client-go.")]
public sealed class WorkQueue<T> : IDisposable
    where T : notnull
{
    private readonly Lock _lock = new();
    private readonly Queue<T> _queue = new();
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
                return _queue.Count;
            }
        }
    }

    public void Add(T item)
    {
        lock (_lock)
        {
            if (_shutDown || !_dirty.Add(item))
            {
                return;
            }

            if (_processing.Contains(item))
            {
                // Done() re-queues it: the same key is never processed twice at once.
                return;
            }

            _queue.Enqueue(item);
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

                if (_queue.TryDequeue(out var item))
                {
                    _dirty.Remove(item);
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

            _queue.Enqueue(item);
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
