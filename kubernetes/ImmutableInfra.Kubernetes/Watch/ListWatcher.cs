using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.Kubernetes.Watch;

/// <summary>
/// Lists a kind, then watches from the list's resourceVersion with bookmarks; resumes from the last seen
/// resourceVersion when a stream ends or breaks, relists on 410 Gone, and survives invalid lines.
/// </summary>
public sealed class ListWatcher<T>
    where T : KubeObject
{
    private readonly IResourceClient<T> _client;
    private readonly IWatchSink<T> _sink;
    private readonly ListWatcherOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private long _invalidLines;
    private long _relists;
    private long _watchStarts;

    public ListWatcher(IResourceClient<T> client, IWatchSink<T> sink, ListWatcherOptions? options = null, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(sink);
        _options = options ?? new ListWatcherOptions();
        _options.Validate();
        _client = client;
        _sink = sink;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The newest resourceVersion seen (list, event or bookmark).</summary>
    public string? ResourceVersion { get; private set; }

    /// <summary>Lines that were not valid watch events (each restarted the watch).</summary>
    public long InvalidLineCount => Interlocked.Read(ref _invalidLines);

    /// <summary>Full lists done (1 at start-up, +1 per 410 Gone).</summary>
    public long ListCount => Interlocked.Read(ref _relists);

    /// <summary>Watch requests opened.</summary>
    public long WatchCount => Interlocked.Read(ref _watchStarts);

    /// <summary>Runs until cancelled, then returns normally.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await LoopAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the caller.
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        var relist = true;
        var failures = 0;
        var resource = _client.Descriptor.Plural;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (relist)
                {
                    await ListAsync(cancellationToken).ConfigureAwait(false);
                    relist = false;
                }

                var started = _time.GetTimestamp();
                var events = await WatchOnceAsync(cancellationToken).ConfigureAwait(false);
                if (events is null)
                {
                    ListWatcherLog.Relisting(_logger, resource, ResourceVersion);
                    relist = true;
                    continue;
                }

                // A stream that ends at once without a single event may be a server refusing us: pace the
                // retries. An idle watch that simply reached its timeout resumes immediately.
                var quickAndEmpty = events == 0 && _time.GetElapsedTime(started) < TimeSpan.FromSeconds(1);
                failures = quickAndEmpty ? failures + 1 : 0;
                if (failures > 1)
                {
                    await DelayAsync(failures - 1, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (KubeGoneException)
            {
                ListWatcherLog.Relisting(_logger, resource, ResourceVersion);
                relist = true;
            }
            catch (WatchFormatException e)
            {
                var count = Interlocked.Increment(ref _invalidLines);
                WatchMetrics.InvalidLines.Add(1, new KeyValuePair<string, object?>("resource", resource));
                ListWatcherLog.InvalidLine(_logger, e, resource, count, ResourceVersion);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OperationCanceledException)
            {
                failures++;
                var delay = Backoff(failures);
                ListWatcherLog.Failed(_logger, e, resource, delay.TotalMilliseconds);
                if (e is WatchLineTooLongException)
                {
                    // The skipped event is lost: only a relist makes the cache whole again.
                    relist = true;
                }

                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? continueToken = null;
        string? listVersion = null;
        do
        {
            var page = await _client.ListAsync(
                _options.Namespace,
                new ListOptions { LabelSelector = _options.LabelSelector, FieldSelector = _options.FieldSelector, Limit = _options.PageSize, Continue = continueToken },
                cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            listVersion ??= page.Metadata.ResourceVersion;
            continueToken = page.Metadata.Continue;
        }
        while (!string.IsNullOrEmpty(continueToken));

        Interlocked.Increment(ref _relists);
        WatchMetrics.Relists.Add(1, new KeyValuePair<string, object?>("resource", _client.Descriptor.Plural));
        _sink.Replace(items);
        ResourceVersion = listVersion;
        ListWatcherLog.Listed(_logger, items.Count, _client.Descriptor.Plural, listVersion ?? string.Empty);
    }

    /// <summary>One watch request; returns the number of events seen, or null when the server says 410.</summary>
    private async Task<int?> WatchOnceAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _watchStarts);
        WatchMetrics.Restarts.Add(1, new KeyValuePair<string, object?>("resource", _client.Descriptor.Plural));
        var seen = 0;
        var options = new WatchOptions
        {
            LabelSelector = _options.LabelSelector,
            FieldSelector = _options.FieldSelector,
            ResourceVersion = ResourceVersion,
            AllowWatchBookmarks = true,
            Timeout = _options.WatchTimeout,
        };
        await foreach (var watchEvent in _client.WatchAsync(_options.Namespace, options, cancellationToken).ConfigureAwait(false))
        {
            seen++;
            switch (watchEvent.Type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    _sink.Upsert(watchEvent.Item!);
                    break;
                case WatchEventType.Deleted:
                    _sink.Remove(watchEvent.Item!);
                    break;
                case WatchEventType.Error when watchEvent.Status?.Code == 410:
                    return null;
                case WatchEventType.Error:
                    throw new KubeApiException(watchEvent.Status!, (System.Net.HttpStatusCode)(watchEvent.Status!.Code ?? 500));
            }

            ResourceVersion = watchEvent.ResourceVersion ?? ResourceVersion;
        }

        return seen;
    }

    private TimeSpan Backoff(int failures)
    {
        var ceiling = Math.Min(_options.MaxBackoff.TotalMilliseconds, _options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 30)));
        return TimeSpan.FromMilliseconds(ceiling / 2 + Random.Shared.NextDouble() * ceiling / 2);
    }

    private Task DelayAsync(int failures, CancellationToken cancellationToken) => Task.Delay(Backoff(failures), _time, cancellationToken);
}
