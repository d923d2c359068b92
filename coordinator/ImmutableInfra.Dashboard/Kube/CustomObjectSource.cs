using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;

namespace ImmutableInfra.Dashboard.Kube;

/// <summary>
/// A custom resource listed and watched over all namespaces as raw JSON, so each object is decoded on its own and
/// one that does not decode cannot break the list.
/// </summary>
internal sealed class CustomObjectSource(IKubernetes client, string group, string version, string plural) : IListWatchSource<JsonElement>
{
    public string Resource => plural;

    public async Task<ListPage<JsonElement>> ListAsync(string? continueToken, int limit, CancellationToken ct)
    {
        using var response = await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync(
            group, version, plural, continueParameter: continueToken, limit: limit, cancellationToken: ct).ConfigureAwait(false);
        var body = response.Body is JsonElement element ? element : throw new JsonException($"{plural}: the list is not a JSON object");
        var items = body.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(i => i.Clone()).ToList()
            : [];
        var meta = body.TryGetProperty("metadata", out var m) ? m : default;
        return new ListPage<JsonElement>(items, Text(meta, "resourceVersion") ?? string.Empty, Text(meta, "continue"));
    }

    public async IAsyncEnumerable<(WatchEventType Type, JsonElement Item)> WatchAsync(
        string resourceVersion, int timeoutSeconds, Action<Exception> onError, [EnumeratorCancellation] CancellationToken ct)
    {
        var events = client.CustomObjects.WatchListClusterCustomObjectAsync(
            group, version, plural, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: onError, cancellationToken: ct);
        await foreach (var (type, item) in events.ConfigureAwait(false))
        {
            yield return (type, item is JsonElement element ? element : default);
        }
    }

    public string? ResourceVersionOf(JsonElement item) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty("metadata", out var m) ? Text(m, "resourceVersion") : null;

    private static string? Text(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
