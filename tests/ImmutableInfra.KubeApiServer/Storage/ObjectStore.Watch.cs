using System.Globalization;

namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>Watches: replay from the event log or the current state, then live events, bookmarks and faults.</summary>
internal sealed partial class ObjectStore
{
    /// <summary>Opens a watch; throws a 410 <see cref="ApiError"/> when the resourceVersion is compacted away.</summary>
    public WatchSubscription Watch(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, string? resourceVersion, bool bookmarks)
    {
        lock (_lock)
        {
            var subscription = new WatchSubscription(type, ns, labels, fields, bookmarks, options.WatchQueueCapacity);
            if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == "0")
            {
                foreach (var item in Collection(type).Values.Where(subscription.Matches))
                {
                    subscription.Initial.Add(new WatchItem(WatchItemKind.Event, "ADDED", item, item.ResourceVersion));
                }
            }
            else
            {
                if (!long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var from))
                {
                    throw ApiError.BadRequest($"invalid resource version: {resourceVersion}");
                }

                if (from < _compactedThrough)
                {
                    throw ApiError.Gone($"too old resource version: {from} ({_compactedThrough + 1})");
                }

                foreach (var (logType, item, previous) in _log)
                {
                    if (item.ResourceVersion > from && logType.StorageKey == type.StorageKey && Filter(subscription, item, previous) is { } visible)
                    {
                        subscription.Initial.Add(visible);
                    }
                }
            }

            _watches.Add(subscription);
            return subscription;
        }
    }

    public void StopWatch(WatchSubscription subscription)
    {
        lock (_lock)
        {
            _watches.Remove(subscription);
        }
    }

    /// <summary>Sends every bookmark-enabled watch the current resourceVersion, in order with its events.</summary>
    public void EmitBookmarks()
    {
        lock (_lock)
        {
            foreach (var watch in _watches.Where(w => w.Bookmarks).ToList())
            {
                Offer(watch, new WatchItem(WatchItemKind.Bookmark, "BOOKMARK", null, _resourceVersion));
            }
        }
    }

    /// <summary>Queues a fault item (garbage line, cut mid-line, drop) on every open watch.</summary>
    public int InjectIntoWatches(WatchItemKind kind)
    {
        lock (_lock)
        {
            var count = _watches.Count;
            foreach (var watch in _watches.ToList())
            {
                Offer(watch, new WatchItem(kind, null, null, _resourceVersion));
            }

            return count;
        }
    }

    public int OpenWatchCount
    {
        get
        {
            lock (_lock)
            {
                return _watches.Count;
            }
        }
    }

    private void Publish(ResourceType type, WatchItem item, StoredObject? previous)
    {
        _log.Enqueue((type, item, previous));
        while (_log.Count > options.CompactionWindow)
        {
            _compactedThrough = _log.Dequeue().Item.ResourceVersion;
        }

        foreach (var watch in _watches.ToList())
        {
            if (watch.Type.StorageKey == type.StorageKey && Filter(watch, item, previous) is { } visible)
            {
                Offer(watch, visible);
            }
        }
    }

    private void Offer(WatchSubscription watch, WatchItem item)
    {
        if (!watch.Offer(item))
        {
            _watches.Remove(watch);
        }
    }

    // An object entering or leaving a selector is ADDED or DELETED for that watch, as in the real server.
    private static WatchItem? Filter(WatchSubscription watch, WatchItem item, StoredObject? previous)
    {
        var now = item.EventType != "DELETED" && watch.Matches(item.Object);
        var before = previous is not null && watch.Matches(previous);
        if (item.EventType == "DELETED")
        {
            return before || watch.Matches(item.Object) ? item : null;
        }

        return (before, now) switch
        {
            (false, true) => item with { EventType = "ADDED" },
            (true, true) => item,
            (true, false) => item with { EventType = "DELETED" },
            _ => null,
        };
    }
}
