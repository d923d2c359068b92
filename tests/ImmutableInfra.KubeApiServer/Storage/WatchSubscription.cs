using System.Threading.Channels;

namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>One open watch: its filter, the events replayed at start and a bounded queue of live ones.</summary>
internal sealed class WatchSubscription
{
    private readonly Channel<WatchItem> _queue;

    public WatchSubscription(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, bool bookmarks, int capacity)
    {
        Type = type;
        Namespace = ns;
        Labels = labels;
        Fields = fields;
        Bookmarks = bookmarks;
        _queue = Channel.CreateBounded<WatchItem>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public ResourceType Type { get; }

    public string? Namespace { get; }

    public LabelSelector Labels { get; }

    public FieldSelector Fields { get; }

    public bool Bookmarks { get; }

    public List<WatchItem> Initial { get; } = [];

    public ChannelReader<WatchItem> Reader => _queue.Reader;

    public bool Matches(StoredObject? item) =>
        item is not null && (Namespace is null || item.Namespace == Namespace) && Labels.Matches(item.Labels) && Fields.Matches(item);

    /// <summary>Queues an item; a watcher too slow to keep up is closed (as the real server does) and resumes.</summary>
    public bool Offer(WatchItem item)
    {
        if (_queue.Writer.TryWrite(item))
        {
            return true;
        }

        _queue.Writer.TryComplete();
        return false;
    }

    public void Close() => _queue.Writer.TryComplete();
}
