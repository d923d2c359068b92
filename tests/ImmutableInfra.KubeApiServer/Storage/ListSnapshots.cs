namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>
/// The list results behind continue tokens, so every page of a paged list comes from one snapshot
/// resourceVersion. Bounded: the oldest snapshots are forgotten (their tokens then answer 410).
/// </summary>
internal sealed class ListSnapshots(int capacity)
{
    private readonly Dictionary<string, Snapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public string Add(StoredObject[] items, long resourceVersion)
    {
        var id = Guid.NewGuid().ToString("N");
        _snapshots[id] = new Snapshot(items, resourceVersion);
        _order.Enqueue(id);
        while (_order.Count > capacity)
        {
            _snapshots.Remove(_order.Dequeue());
        }

        return id;
    }

    public Snapshot? Find(string id) => _snapshots.GetValueOrDefault(id);

    public void Clear()
    {
        _snapshots.Clear();
        _order.Clear();
    }

    /// <summary>A frozen, filtered, sorted list result.</summary>
    public sealed record Snapshot(StoredObject[] Items, long ResourceVersion);
}
