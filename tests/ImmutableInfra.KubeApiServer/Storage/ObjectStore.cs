using ImmutableInfra.KubeApiServer.Http;

namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>
/// All objects, the global resourceVersion counter, a bounded event log (the compaction window) and
/// the open watches. One lock: this serves tests and a lab, not production load.
/// </summary>
internal sealed partial class ObjectStore(InMemoryKubeApiServerOptions options, IObjectAdmission admission, TimeProvider time, Microsoft.Extensions.Logging.ILogger logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SortedDictionary<string, StoredObject>> _collections = new(StringComparer.Ordinal);
    private readonly Queue<(ResourceType Type, WatchItem Item, StoredObject? Previous)> _log = new();
    private readonly List<WatchSubscription> _watches = [];
    private readonly ListSnapshots _snapshots = new(options.MaxListSnapshots);
    private long _resourceVersion;
    private long _compactedThrough;

    public long CurrentResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _resourceVersion;
            }
        }
    }

    public StoredObject Get(ResourceType type, string? ns, string name)
    {
        lock (_lock)
        {
            return Collection(type).GetValueOrDefault(Key(ns, name)) ?? throw ApiError.NotFound(type, name);
        }
    }

    public ListResult List(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, int? limit, string? continueToken)
    {
        lock (_lock)
        {
            StoredObject[] items;
            long resourceVersion;
            string snapshotId;
            var offset = 0;
            if (continueToken is not null)
            {
                (snapshotId, offset) = ContinueToken.Decode(continueToken);
                var snapshot = _snapshots.Find(snapshotId);
                if (snapshot is null || snapshot.ResourceVersion < _compactedThrough)
                {
                    throw ApiError.Gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
                }

                (items, resourceVersion) = (snapshot.Items, snapshot.ResourceVersion);
            }
            else
            {
                items = [.. Collection(type).Values.Where(o => (ns is null || o.Namespace == ns) && labels.Matches(o.Labels) && fields.Matches(o))];
                resourceVersion = _resourceVersion;
                if (limit is null or <= 0 || items.Length <= limit)
                {
                    return new ListResult(items, resourceVersion, null, null);
                }

                snapshotId = _snapshots.Add(items, resourceVersion);
            }

            var count = limit is > 0 ? Math.Min(limit.Value, items.Length - offset) : items.Length - offset;
            var page = items.AsSpan(offset, Math.Max(0, count)).ToArray();
            var next = offset + page.Length;
            return next < items.Length
                ? new ListResult(page, resourceVersion, ContinueToken.Encode(snapshotId, next), items.Length - next)
                : new ListResult(page, resourceVersion, null, null);
        }
    }

    /// <summary>Forgets every event and snapshot up to now: older resourceVersions and continue tokens answer 410.</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _log.Clear();
            _snapshots.Clear();
            _compactedThrough = _resourceVersion;
        }
    }

    private SortedDictionary<string, StoredObject> Collection(ResourceType type)
    {
        if (!_collections.TryGetValue(type.StorageKey, out var collection))
        {
            collection = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            _collections[type.StorageKey] = collection;
        }

        return collection;
    }

    private static string Key(string? ns, string name) => ns is null ? name : $"{ns}/{name}";
}
