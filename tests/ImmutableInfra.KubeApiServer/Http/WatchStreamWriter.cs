using System.Globalization;
using System.Text;
using ImmutableInfra.KubeApiServer.Storage;
using ImmutableInfra.KubeApiServer.Tables;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ImmutableInfra.KubeApiServer.Http;

/// <summary>Serves a watch as newline-delimited JSON events, honouring timeoutSeconds, bookmarks and faults.</summary>
internal sealed class WatchStreamWriter(ObjectStore store, InMemoryKubeApiServerOptions options, TimeProvider time)
{
    private static readonly byte[] Garbage = "this is not a watch event {{{\n"u8.ToArray();

    public async Task ServeAsync(HttpContext context, ApiRoute route, IQueryCollection query)
    {
        // kubectl get -w asks for Tables: every event's object is then a one-row Table.
        Func<StoredObject, byte[]> body = TableWriter.Wanted(context.Request.Headers.Accept)
            ? item => TableWriter.Serialize(route.Type, item, query["includeObject"], time.GetUtcNow())
            : item => item.Json;
        var timeout = int.TryParse(query["timeoutSeconds"], out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : options.DefaultWatchTimeout;
        var bookmarks = query["allowWatchBookmarks"] is ["true" or "1"];
        var labels = LabelSelector.Parse(query["labelSelector"]);
        var fields = FieldSelector.Parse(route.Type, query["fieldSelector"]);

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        WatchSubscription subscription;
        try
        {
            subscription = store.Watch(route.Type, route.Namespace, labels, fields, query["resourceVersion"], bookmarks);
        }
        catch (ApiError error) when (error.Code == System.Net.HttpStatusCode.Gone)
        {
            // The real server answers 200 and reports "too old resource version" as an ERROR event.
            await WriteLineAsync(context, ErrorLine(error), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, context.RequestAborted);
        try
        {
            await context.Response.StartAsync(linked.Token).ConfigureAwait(false);
            foreach (var item in subscription.Initial)
            {
                await context.Response.Body.WriteAsync(Line(route.Type, item, body), linked.Token).ConfigureAwait(false);
            }

            await context.Response.Body.FlushAsync(linked.Token).ConfigureAwait(false);
            while (await subscription.Reader.WaitToReadAsync(linked.Token).ConfigureAwait(false))
            {
                while (subscription.Reader.TryRead(out var item))
                {
                    switch (item.Kind)
                    {
                        case WatchItemKind.Drop:
                            context.Abort();
                            return;
                        case WatchItemKind.CutMidLine:
                            var line = Encoding.UTF8.GetBytes($"{{\"type\":\"MODIFIED\",\"object\":{{\"kind\":\"{route.Type.Kind}\",\"metadata\":{{\"resourceVersion\":\"");
                            await context.Response.Body.WriteAsync(line, linked.Token).ConfigureAwait(false);
                            await context.Response.Body.FlushAsync(linked.Token).ConfigureAwait(false);
                            context.Abort();
                            return;
                        case WatchItemKind.Garbage:
                            await context.Response.Body.WriteAsync(Garbage, linked.Token).ConfigureAwait(false);
                            break;
                        default:
                            await context.Response.Body.WriteAsync(Line(route.Type, item, body), linked.Token).ConfigureAwait(false);
                            break;
                    }
                }

                await context.Response.Body.FlushAsync(linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds elapsed or the client went away: the watch ends normally.
        }
        catch (IOException)
        {
            // The client went away mid-write.
        }
        finally
        {
            store.StopWatch(subscription);
        }
    }

    private static Task WriteLineAsync(HttpContext context, byte[] line, CancellationToken cancellationToken) =>
        context.Response.Body.WriteAsync(line, cancellationToken).AsTask();

    private static byte[] Line(ResourceType type, WatchItem item, Func<StoredObject, byte[]> body)
    {
        if (item.Kind == WatchItemKind.Bookmark)
        {
            var version = item.ResourceVersion.ToString(CultureInfo.InvariantCulture);
            return Encoding.UTF8.GetBytes($"{{\"type\":\"BOOKMARK\",\"object\":{{\"kind\":\"{type.Kind}\",\"apiVersion\":\"{type.ApiVersion}\",\"metadata\":{{\"resourceVersion\":\"{version}\"}}}}}}\n");
        }

        var prefix = Encoding.UTF8.GetBytes($"{{\"type\":\"{item.EventType}\",\"object\":");
        var json = body(item.Object!);
        var line = new byte[prefix.Length + json.Length + 2];
        prefix.CopyTo(line, 0);
        json.CopyTo(line, prefix.Length);
        line[^2] = (byte)'}';
        line[^1] = (byte)'\n';
        return line;
    }

    private static byte[] ErrorLine(ApiError error)
    {
        var status = StatusWriter.Serialize(error);
        var prefix = "{\"type\":\"ERROR\",\"object\":"u8;
        var line = new byte[prefix.Length + status.Length + 2];
        prefix.CopyTo(line);
        status.CopyTo(line, prefix.Length);
        line[^2] = (byte)'}';
        line[^1] = (byte)'\n';
        return line;
    }
}
