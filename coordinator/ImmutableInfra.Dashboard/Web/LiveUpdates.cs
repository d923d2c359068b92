using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using ImmutableInfra.Dashboard.Fleet;
using ImmutableInfra.Dashboard.Web.Pages;
using Microsoft.AspNetCore.Http;

namespace ImmutableInfra.Dashboard.Web;

/// <summary>
/// Server-Sent Events to the open pages: "change" with the kinds that changed, coalesced to one message per client
/// per <see cref="DashboardOptions.LiveInterval"/>; the page then fetches its own live part again. Bounded: at most
/// <see cref="DashboardOptions.MaxLiveClients"/> clients, each with a queue of
/// <see cref="DashboardOptions.LiveClientQueue"/> messages; a client whose queue is full loses it and gets one
/// "resync" (refetch everything) instead, so a slow client costs neither memory nor the others' updates.
/// </summary>
internal sealed class LiveUpdates : IAsyncDisposable
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private readonly FleetStore _store;
    private readonly DashboardOptions _options;
    private readonly ConcurrentDictionary<long, Client> _clients = new();
    private readonly ITimer _timer;
    private long _nextId;
    private int _count;

    public LiveUpdates(FleetStore store, DashboardOptions options)
    {
        _store = store;
        _options = options;
        _store.Changed += OnChanged;
        _timer = store.Time.CreateTimer(_ => Flush(), null, options.LiveInterval, options.LiveInterval);
    }

    public async Task ServeAsync(HttpContext context)
    {
        if (Interlocked.Increment(ref _count) > _options.MaxLiveClients)
        {
            Interlocked.Decrement(ref _count);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "10";
            return;
        }

        var id = Interlocked.Increment(ref _nextId);
        var client = new Client(_options.LiveClientQueue);
        _clients[id] = client;
        try
        {
            var response = context.Response;
            response.ContentType = "text/event-stream";
            response.Headers["X-Accel-Buffering"] = "no";
            var ct = context.RequestAborted;
            await response.WriteAsync($"retry: 2000\n\nevent: hello\ndata: {{\"version\":{_store.Version}}}\n\n", ct).ConfigureAwait(false);
            await response.Body.FlushAsync(ct).ConfigureAwait(false);
            while (!ct.IsCancellationRequested)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(ct);
                beat.CancelAfter(Heartbeat);
                string message;
                try
                {
                    message = await client.Queue.Reader.ReadAsync(beat.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    message = ": heartbeat\n\n";
                }

                await response.WriteAsync(message, ct).ConfigureAwait(false);
                await response.Body.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            _clients.TryRemove(id, out _);
            Interlocked.Decrement(ref _count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _store.Changed -= OnChanged;
        await _timer.DisposeAsync().ConfigureAwait(false);
        foreach (var client in _clients.Values)
        {
            client.Queue.Writer.TryComplete();
        }
    }

    private void OnChanged(FleetKinds kinds)
    {
        foreach (var client in _clients.Values)
        {
            client.Add(kinds);
        }
    }

    private void Flush()
    {
        var version = _store.Version;
        foreach (var client in _clients.Values)
        {
            var kinds = client.Take();
            if (kinds == FleetKinds.None)
            {
                continue;
            }

            var message = string.Create(CultureInfo.InvariantCulture, $"event: change\ndata: {{\"version\":{version},\"kinds\":\"{Layout.KindNames(kinds)}\"}}\n\n");
            if (!client.Queue.Writer.TryWrite(message))
            {
                while (client.Queue.Reader.TryRead(out _))
                {
                }

                client.Queue.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture, $"event: resync\ndata: {{\"version\":{version}}}\n\n"));
            }
        }
    }

    private sealed class Client(int capacity)
    {
        private int _pending;

        public Channel<string> Queue { get; } = Channel.CreateBounded<string>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });

        public void Add(FleetKinds kinds) => Interlocked.Or(ref _pending, (int)kinds);

        public FleetKinds Take() => (FleetKinds)Interlocked.Exchange(ref _pending, 0);
    }
}
