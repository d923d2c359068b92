using k8s;
using k8s.Models;

namespace ImmutableInfra.Dashboard.Kube;

/// <summary>core/v1 Events of every namespace: what the coordinator recorded about hosts, machines and clusters.</summary>
internal sealed class EventListSource(IKubernetes client) : IListWatchSource<Corev1Event>
{
    public string Resource => "events";

    public async Task<ListPage<Corev1Event>> ListAsync(string? continueToken, int limit, CancellationToken ct)
    {
        var list = await client.CoreV1.ListEventForAllNamespacesAsync(continueParameter: continueToken, limit: limit, cancellationToken: ct).ConfigureAwait(false);
        return new ListPage<Corev1Event>([.. list.Items ?? []], list.Metadata?.ResourceVersion ?? string.Empty, list.Metadata?.ContinueProperty);
    }

    public IAsyncEnumerable<(WatchEventType Type, Corev1Event Item)> WatchAsync(string resourceVersion, int timeoutSeconds, Action<Exception> onError, CancellationToken ct) =>
        client.CoreV1.WatchListEventForAllNamespacesAsync(
            allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: ct);

    public string? ResourceVersionOf(Corev1Event item) => item.Metadata?.ResourceVersion;
}
