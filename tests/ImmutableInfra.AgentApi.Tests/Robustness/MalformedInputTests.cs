using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Grpc.Health.V1;
using Grpc.Net.Client;
using ImmutableInfra.AgentApi.Tests.TestSupport;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Coordinator.Hosting;

namespace ImmutableInfra.AgentApi.Tests.Robustness;

/// <summary>
/// 100,000 malformed requests and 2,000 connections of raw HTTP/2 garbage against the real coordinator. Each request
/// runs in a lane of its own connections by what HTTP/2 lets the server do with it (<see cref="Lane"/>): a complete
/// request must be answered on its stream (a gRPC or HTTP status, or RST_STREAM); a connection dropped under it is a
/// failure. Requests the client resets, or whose body never arrives, may cost their connection (Kestrel answers a
/// flood of client resets with GOAWAY ENHANCE_YOUR_CALM and a stalled body with an abort of the connection, whose
/// unread bytes then show as "connection reset by peer" to any stream sharing it), so they never share one with the
/// others: that sharing is why the old test lost a few dozen answered requests per run.
/// </summary>
public sealed class MalformedInputTests
{
    private const int Requests = 100_000;
    private const int RawConnections = 2_000;
    private const int MaxMessageSize = 64 * 1024;
    private const long GrowthBound = 64L * 1024 * 1024;
    private static readonly TimeSpan PerRequestBound = TimeSpan.FromSeconds(20);

    private static readonly AgentApiLimits Limits = new()
    {
        MaxReceiveMessageBytes = MaxMessageSize,
        UnaryDeadline = TimeSpan.FromSeconds(2),
        SyncFirstMessageDeadline = TimeSpan.FromSeconds(1),
        MinRequestBodyGracePeriod = TimeSpan.FromSeconds(1.5),
    };

    [Fact]
    public async Task Coordinator_100kMalformedRequests_AnswersEach_StaysBoundedAndHealthy()
    {
        await using var coordinator = await CoordinatorUnderTest.StartAsync(Limits);
        var address = coordinator.Server.AgentApiAddress;
        using var lanes = new Lanes();
        var failures = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();

        // First half, measure, second half, measure: the heap must not grow between the halves.
        var sent = await RunAsync(lanes, address, 0, Requests / 2, failures);
        var raw = await RunRawAsync(address.Port, 0, RawConnections / 2);
        var heapAfterFirstHalf = GC.GetTotalMemory(forceFullCollection: true);
        sent += await RunAsync(lanes, address, Requests / 2, Requests, failures);
        raw += await RunRawAsync(address.Port, RawConnections / 2, RawConnections);
        var heapAfterSecondHalf = GC.GetTotalMemory(forceFullCollection: true);
        clock.Stop();

        Assert.Equal(Requests, sent);
        Assert.True(failures.IsEmpty, $"{failures.Count} requests not answered as HTTP/2 allows, e.g. {string.Join(" / ", failures.Take(5))}");
        Assert.Equal(RawConnections, raw);
        Assert.True(heapAfterSecondHalf - heapAfterFirstHalf < GrowthBound, $"heap grew from {heapAfterFirstHalf} to {heapAfterSecondHalf} bytes");

        // Still healthy: a real registration succeeds and the standard health service says SERVING.
        using var channel = GrpcChannel.ForAddress(address);
        var registered = await new AgentService.AgentServiceClient(channel).RegisterAsync(new RegisterRequest
        {
            Pool = CoordinatorUnderTest.Pool,
            RegistrationToken = coordinator.PoolToken,
            Identity = new HostIdentity { SystemUuid = "7d3f0c2e-0000-4000-8000-00000000a11e", Hostname = "still-alive" },
        }, deadline: DateTime.UtcNow.AddSeconds(20));
        Assert.NotEmpty(registered.Credential);
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(20));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    private static async Task<int> RunAsync(Lanes lanes, Uri address, int from, int to, ConcurrentQueue<string> failures)
    {
        // Bounded concurrency per lane, below the server's streams per connection.
        var queues = new[] { Lane.Answered, Lane.ClientReset, Lane.Stalled }.ToDictionary(l => l, _ => new ConcurrentQueue<int>());
        for (var i = from; i < to; i++)
        {
            var (request, lane) = MalformedRequestFactory.Create(address, i, MaxMessageSize);
            request.Dispose();
            queues[lane].Enqueue(i);
        }

        var done = 0;
        var workers = new[] { (Lane.Answered, 48), (Lane.ClientReset, 4), (Lane.Stalled, 32) }.SelectMany(w => Enumerable.Range(0, w.Item2).Select(async _ =>
        {
            while (queues[w.Item1].TryDequeue(out var index))
            {
                if (await SendOneAsync(lanes, address, index) is { } failure)
                {
                    failures.Enqueue(failure);
                }

                Interlocked.Increment(ref done);
            }
        }));
        await Task.WhenAll(workers);
        return done;
    }

    // Null when the server answered as HTTP/2 allows for the request's lane, else what went wrong.
    private static async Task<string?> SendOneAsync(Lanes lanes, Uri address, int index)
    {
        var (request, lane) = MalformedRequestFactory.Create(address, index, MaxMessageSize);
        using var _ = request;
        using var cts = new CancellationTokenSource(PerRequestBound);
        var kind = $"#{index} (kind {index % MalformedRequestFactory.KindCount}, {lane}, {request.RequestUri!.AbsolutePath})";
        try
        {
            using var response = await lanes.For(lane).SendAsync(request, cts.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (int)response.StatusCode is >= 400 and < 500 ? null : $"{kind}: HTTP {(int)response.StatusCode}";
            }

            if (response.Headers.Contains("grpc-status"))
            {
                return null;
            }

            await response.Content.CopyToAsync(Stream.Null, cts.Token);
            return response.TrailingHeaders.Contains("grpc-status") ? null : $"{kind}: no grpc-status";
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return $"{kind}: no answer within {PerRequestBound.TotalSeconds:0} s";
        }
        catch (OperationCanceledException)
        {
            return null; // HttpClient reports the server's RST_STREAM(CANCEL) (grpc-dotnet at a deadline) as a cancellation
        }
        catch (Exception e) when (e is HttpProtocolException || e.InnerException is HttpProtocolException)
        {
            return null; // the server reset the stream (RST_STREAM), which HTTP/2 allows at any time
        }
        catch (HttpRequestException) when (lane != Lane.Answered)
        {
            return null; // our own reset, or the server dropped a connection carrying only such requests
        }
        catch (HttpRequestException e)
        {
            return $"{kind}: {e.HttpRequestError} {e.InnerException?.GetType().Name}: {e.InnerException?.Message}";
        }
    }

    private static async Task<int> RunRawAsync(int port, int from, int to)
    {
        var next = from - 1;
        var answered = 0;
        var workers = Enumerable.Range(0, 16).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) is var index && index < to)
            {
                if (await RawHttp2Garbage.SendAsync(port, index, TimeSpan.FromSeconds(10)))
                {
                    Interlocked.Increment(ref answered);
                }
            }
        });
        await Task.WhenAll(workers);
        return answered;
    }

    /// <summary>One connection pool per lane, so a connection the server drops carries only requests of the lane that may cost it.</summary>
    private sealed class Lanes : IDisposable
    {
        private readonly HttpMessageInvoker _answered = Create();
        private readonly HttpMessageInvoker _clientReset = Create();
        private readonly HttpMessageInvoker _stalled = Create();

        public HttpMessageInvoker For(Lane lane) => lane switch
        {
            Lane.Answered => _answered,
            Lane.ClientReset => _clientReset,
            _ => _stalled,
        };

        public void Dispose()
        {
            _answered.Dispose();
            _clientReset.Dispose();
            _stalled.Dispose();
        }

        private static HttpMessageInvoker Create() => new(new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        });
    }
}
