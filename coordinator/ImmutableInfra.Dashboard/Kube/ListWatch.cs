using k8s;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Dashboard.Kube;

/// <summary>
/// List, then watch from the list's resourceVersion, resuming after each watch ends; relist on 410 Gone or an
/// ERROR event; back off on failures. A watch that goes silent past its idle deadline (the server sends
/// bookmarks) is cut and resumed, so a half-open connection cannot freeze the page.
/// </summary>
internal sealed partial class ListWatch<T>(
    IListWatchSource<T> source,
    IWatchSink<T> sink,
    ApiHealth health,
    DashboardOptions options,
    ILogger logger)
{
    private const int PageSize = 500;

    public async Task RunAsync(CancellationToken ct)
    {
        var backoff = new Backoff(options.InitialBackoff, options.MaxBackoff);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var resourceVersion = await ListAsync(ct).ConfigureAwait(false);
                health.Set(source.Resource, ResourceAccess.Synced);
                backoff.Reset();
                while (!ct.IsCancellationRequested)
                {
                    resourceVersion = await WatchOnceAsync(resourceVersion, ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (ApiFailures.IsGone(e) || e is WatchExpiredException)
            {
                Log.Relisting(logger, source.Resource);
            }
            catch (Exception e) when (ApiFailures.IsForbidden(e))
            {
                Log.Forbidden(logger, source.Resource);
                health.Set(source.Resource, ResourceAccess.Forbidden);
                await Delay(options.ForbiddenRetry, ct).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.Failed(logger, source.Resource, ApiFailures.Describe(e));
                health.Unreachable(source.Resource, ApiFailures.Describe(e));
                await Delay(backoff.Next(), ct).ConfigureAwait(false);
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken ct)
    {
        var items = new List<T>();
        string? next = null;
        string resourceVersion;
        do
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(options.RequestTimeout);
            var page = await source.ListAsync(next, PageSize, deadline.Token).ConfigureAwait(false);
            if (items.Count + page.Items.Count > options.MaxObjectsPerKind)
            {
                Log.TooMany(logger, source.Resource, options.MaxObjectsPerKind);
                items.AddRange(page.Items.Take(options.MaxObjectsPerKind - items.Count));
                resourceVersion = page.ResourceVersion;
                break;
            }

            items.AddRange(page.Items);
            (next, resourceVersion) = (page.Continue, page.ResourceVersion);
        }
        while (!string.IsNullOrEmpty(next));

        sink.Replace(items);
        return resourceVersion;
    }

    /// <summary>One watch connection; returns the resourceVersion to resume from.</summary>
    private async Task<string> WatchOnceAsync(string resourceVersion, CancellationToken ct)
    {
        Exception? failure = null;
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        idle.CancelAfter(options.WatchIdleTimeout);
        try
        {
            await foreach (var (type, item) in source.WatchAsync(resourceVersion, options.WatchTimeoutSeconds, e => failure ??= e, idle.Token).ConfigureAwait(false))
            {
                idle.CancelAfter(options.WatchIdleTimeout);
                if (type == WatchEventType.Error)
                {
                    throw new WatchExpiredException();
                }

                if (type != WatchEventType.Bookmark)
                {
                    sink.Apply(type, item);
                }

                resourceVersion = source.ResourceVersionOf(item) is { Length: > 0 } rv ? rv : resourceVersion;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Log.WatchIdle(logger, source.Resource);
        }

        return failure is null ? resourceVersion : throw new WatchBrokenException(source.Resource, failure);
    }

    private static async Task Delay(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{Resource}: watch expired, listing again")]
        public static partial void Relisting(ILogger logger, string resource);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Resource}: not permitted to list and watch (RBAC)")]
        public static partial void Forbidden(ILogger logger, string resource);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Resource}: list or watch failed: {Error}")]
        public static partial void Failed(ILogger logger, string resource, string error);

        [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{Resource}: more than {Max} objects; showing the first {Max}")]
        public static partial void TooMany(ILogger logger, string resource, int max);

        [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "{Resource}: watch idle past its deadline, resuming")]
        public static partial void WatchIdle(ILogger logger, string resource);
    }
}

/// <summary>The watch reported an ERROR event (410 Gone in practice): its resourceVersion is too old.</summary>
internal sealed class WatchExpiredException : Exception
{
    public WatchExpiredException()
        : base("watch expired")
    {
    }
}

/// <summary>A watch stream broke mid-way (connection lost, a line that is not JSON).</summary>
internal sealed class WatchBrokenException(string resource, Exception inner) : Exception($"{resource}: watch broken: {inner.Message}", inner);
