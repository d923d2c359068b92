using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Kubernetes.Watch;

namespace ImmutableInfra.Kubernetes.Cache;

/// <summary>
/// An indexed in-memory copy of a kind, fed by a <see cref="ListWatcher{T}"/>: look-up by namespace/name
/// and by custom indexers, with add/update/delete handlers. Cached objects are shared: never mutate them.
/// </summary>
public sealed class WatchCache<T> : IWatchSink<T>
    where T : KubeObject
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Index> _indexes = new(StringComparer.Ordinal);
    private readonly List<IResourceChangeHandler<T>> _handlers = [];
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once the first list has been applied.</summary>
    public bool HasSynced => _synced.Task.IsCompleted;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Adds an index (e.g. by a label's value); call before the watcher starts.</summary>
    public void AddIndexer(string name, Func<T, IEnumerable<string>> indexValues)
    {
        lock (_lock)
        {
            var index = new Index(indexValues);
            foreach (var (key, item) in _items)
            {
                index.Add(key, item);
            }

            _indexes.Add(name, index);
        }
    }

    public void AddHandler(IResourceChangeHandler<T> handler)
    {
        lock (_lock)
        {
            _handlers.Add(handler);
        }
    }

    public Task WaitForSyncAsync(CancellationToken cancellationToken) => _synced.Task.WaitAsync(cancellationToken);

    public T? Get(string? namespaceName, string name)
    {
        lock (_lock)
        {
            return _items.GetValueOrDefault(CacheKeys.Of(namespaceName, name));
        }
    }

    public IReadOnlyList<T> List()
    {
        lock (_lock)
        {
            return [.. _items.Values];
        }
    }

    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        lock (_lock)
        {
            var index = _indexes.GetValueOrDefault(indexName) ?? throw new ArgumentException($"no index named {indexName}", nameof(indexName));
            return [.. index.Items(value)];
        }
    }

    /// <summary>
    /// Runs <paramref name="read"/> over the live objects of one index value, under the cache's lock: for lookups
    /// that need a few of many objects without copying them all. It must be quick, must not keep the list, and must
    /// not call into the cache. The list's order is stable while its membership does not change.
    /// </summary>
    public TResult ReadIndex<TResult>(string indexName, string value, Func<IReadOnlyList<T>, TResult> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_lock)
        {
            var index = _indexes.GetValueOrDefault(indexName) ?? throw new ArgumentException($"no index named {indexName}", nameof(indexName));
            return read(index.Items(value));
        }
    }

    public void Replace(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var changes = new List<(T? Previous, T? Current)>();
        lock (_lock)
        {
            var fresh = new Dictionary<string, T>(items.Count, StringComparer.Ordinal);
            foreach (var item in items)
            {
                fresh[CacheKeys.Of(item)] = item;
            }

            foreach (var (key, previous) in _items.Where(p => !fresh.ContainsKey(p.Key)).ToList())
            {
                Delete(key, previous);
                changes.Add((previous, null));
            }

            foreach (var (key, item) in fresh)
            {
                var previous = _items.GetValueOrDefault(key);
                if (previous is not null && previous.Metadata.ResourceVersion == item.Metadata.ResourceVersion)
                {
                    continue;
                }

                Store(key, previous, item);
                changes.Add((previous, item));
            }
        }

        Notify(changes);
        _synced.TrySetResult();
    }

    public void Upsert(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        T? previous;
        lock (_lock)
        {
            var key = CacheKeys.Of(item);
            previous = _items.GetValueOrDefault(key);
            Store(key, previous, item);
        }

        Notify([(previous, item)]);
    }

    public void Remove(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        T? previous;
        lock (_lock)
        {
            var key = CacheKeys.Of(item);
            previous = _items.GetValueOrDefault(key);
            if (previous is not null)
            {
                Delete(key, previous);
            }
        }

        // Handlers get the object's final state as the DELETED event carries it.
        Notify([(item, null)]);
    }

    private void Store(string key, T? previous, T item)
    {
        foreach (var index in _indexes.Values)
        {
            index.Update(key, previous, item);
        }

        _items[key] = item;
    }

    private void Delete(string key, T previous)
    {
        foreach (var index in _indexes.Values)
        {
            index.Remove(key, previous);
        }

        _items.Remove(key);
    }

    // Handlers run outside the lock so they may read the cache (and enqueue) freely.
    private void Notify(List<(T? Previous, T? Current)> changes)
    {
        IResourceChangeHandler<T>[] handlers;
        lock (_lock)
        {
            if (_handlers.Count == 0)
            {
                return;
            }

            handlers = [.. _handlers];
        }

        foreach (var (previous, current) in changes)
        {
            foreach (var handler in handlers)
            {
                if (current is null)
                {
                    handler.OnDelete(previous!);
                }
                else if (previous is null)
                {
                    handler.OnAdd(current);
                }
                else
                {
                    handler.OnUpdate(previous, current);
                }
            }
        }
    }

    // Holds the objects themselves, in a list per value (removal swaps the last one in), so a lookup copies
    // references with no hashing per object, and ReadIndex can pick a few of many by position without copying.
    private sealed class Index(Func<T, IEnumerable<string>> values)
    {
        private readonly Dictionary<string, Bucket> _byValue = new(StringComparer.Ordinal);

        public void Add(string key, T item)
        {
            foreach (var value in values(item))
            {
                if (!_byValue.TryGetValue(value, out var bucket))
                {
                    bucket = new Bucket();
                    _byValue[value] = bucket;
                }

                bucket.Set(key, item);
            }
        }

        public void Remove(string key, T item)
        {
            foreach (var value in values(item))
            {
                RemoveFrom(value, key);
            }
        }

        // An object that keeps a value keeps its place under it: updates do not reorder the list.
        public void Update(string key, T? previous, T item)
        {
            if (previous is not null)
            {
                foreach (var value in values(previous))
                {
                    if (!values(item).Contains(value, StringComparer.Ordinal))
                    {
                        RemoveFrom(value, key);
                    }
                }
            }

            Add(key, item);
        }

        private void RemoveFrom(string value, string key)
        {
            if (_byValue.TryGetValue(value, out var bucket) && bucket.Remove(key) && bucket.Items.Count == 0)
            {
                _byValue.Remove(value);
            }
        }

        public List<T> Items(string value) => _byValue.TryGetValue(value, out var bucket) ? bucket.Items : [];
    }

    private sealed class Bucket
    {
        private readonly List<T> _items = [];
        private readonly List<string> _keys = [];
        private readonly Dictionary<string, int> _positions = new(StringComparer.Ordinal);

        public List<T> Items => _items;

        public void Set(string key, T item)
        {
            if (_positions.TryGetValue(key, out var position))
            {
                _items[position] = item;
                return;
            }

            _positions[key] = _items.Count;
            _items.Add(item);
            _keys.Add(key);
        }

        public bool Remove(string key)
        {
            if (!_positions.Remove(key, out var position))
            {
                return false;
            }

            var last = _items.Count - 1;
            if (position != last)
            {
                _items[position] = _items[last];
                _keys[position] = _keys[last];
                _positions[_keys[position]] = position;
            }

            _items.RemoveAt(last);
            _keys.RemoveAt(last);
            return true;
        }
    }
}
