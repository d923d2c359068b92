using System.Collections.Concurrent;
using k8s;

namespace ImmutableInfra.Dashboard.Fleet;

/// <summary>
/// The current objects of one kind, keyed "namespace/name". Writers are the kind's single watch loop; readers
/// (page requests) get a consistent-enough snapshot of the values without blocking it.
/// </summary>
internal sealed class ObjectTable<TView>(Func<TView, string> keyOf)
    where TView : class
{
    private ConcurrentDictionary<string, TView> _items = new(StringComparer.Ordinal);

    public int Count => _items.Count;

    public Func<TView, string> KeyOf => keyOf;

    public ICollection<TView> Values => _items.Values;

    public TView? Get(string key) => _items.GetValueOrDefault(key);

    public void Replace(IEnumerable<TView> items) =>
        _items = new ConcurrentDictionary<string, TView>(items.Select(i => KeyValuePair.Create(keyOf(i), i)), StringComparer.Ordinal);

    /// <summary>Applies one watch event; returns the object it replaced, if any.</summary>
    public TView? Apply(WatchEventType type, TView item)
    {
        var key = keyOf(item);
        if (type == WatchEventType.Deleted)
        {
            return _items.TryRemove(key, out var removed) ? removed : null;
        }

        TView? previous = null;
        _items.AddOrUpdate(key, item, (_, old) =>
        {
            previous = old;
            return item;
        });
        return previous;
    }
}
