using k8s;

namespace ImmutableInfra.Dashboard.Kube;

/// <summary>One resource the dashboard lists and watches, whatever its item type.</summary>
internal interface IListWatchSource<T>
{
    /// <summary>The resource's name in logs and on the page, e.g. "machineinventories".</summary>
    string Resource { get; }

    Task<ListPage<T>> ListAsync(string? continueToken, int limit, CancellationToken ct);

    IAsyncEnumerable<(WatchEventType Type, T Item)> WatchAsync(string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken ct);

    string? ResourceVersionOf(T item);
}

/// <summary>One page of a list: its items, the list's resourceVersion and the continue token of the next page.</summary>
internal sealed record ListPage<T>(IReadOnlyList<T> Items, string ResourceVersion, string? Continue);

/// <summary>Where a list-watch delivers: the whole list after each (re)list, then each change.</summary>
internal interface IWatchSink<in T>
{
    void Replace(IReadOnlyList<T> items);

    void Apply(WatchEventType type, T item);
}
