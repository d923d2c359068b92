namespace ImmutableInfra.Kubernetes.Watch;

/// <summary>What a <see cref="ListWatcher{T}"/> lists and watches, and how it backs off.</summary>
public sealed class ListWatcherOptions
{
    /// <summary>Namespace to watch; null watches all namespaces (or a cluster-scoped kind).</summary>
    public string? Namespace { get; set; }

    public string? LabelSelector { get; set; }

    public string? FieldSelector { get; set; }

    /// <summary>Page size of the (re)list.</summary>
    public int PageSize { get; set; } = 500;

    /// <summary>Server-side timeout of each watch request; the watch then resumes.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    public void Validate()
    {
        if (PageSize < 1 || WatchTimeout < TimeSpan.FromSeconds(1) || InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff)
        {
            throw new ArgumentException("ListWatcherOptions: PageSize >= 1, WatchTimeout >= 1 s and 0 < InitialBackoff <= MaxBackoff are required");
        }
    }
}
