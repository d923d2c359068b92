using System.Diagnostics;
using System.Net;
using System.Net.Http;
using ImmutableInfra.Grpc.Tests.TestSupport;
using ImmutableInfra.Grpc.Tests.V1;

namespace ImmutableInfra.Grpc.Tests.Robustness;

public sealed class MalformedInputTests
{
    private const int HttpRequests = 100_000;
    private const int RawConnections = 2_000;
    private const int Concurrency = 64;
    private const int MaxMessageSize = 64 * 1024;
    private const long HeapBound = 256L * 1024 * 1024;
    private const long GrowthBound = 32L * 1024 * 1024;
    private static readonly TimeSpan WallClockCap = TimeSpan.FromSeconds(80);

    [Fact]
    public async Task Server_100kMalformedRequests_AnswersEachStaysHealthyAndBounded()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxReceiveMessageSize = MaxMessageSize);
        // Kestrel answers a flood of client resets with GOAWAY ENHANCE_YOUR_CALM (rapid-reset
        // defence), which ends every stream on that connection: resets get their own connections.
        using var http = new HttpMessageInvoker(new SocketsHttpHandler { EnableMultipleHttp2Connections = true, ConnectTimeout = TimeSpan.FromSeconds(10) });
        using var resetting = new HttpMessageInvoker(new SocketsHttpHandler { EnableMultipleHttp2Connections = true, ConnectTimeout = TimeSpan.FromSeconds(10) });
        var clients = (http, resetting);
        var clock = Stopwatch.StartNew();
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();

        // First half, measure, second half, measure: the heap must not grow between the halves.
        var firstHalf = await RunAsync(clients, server, 0, HttpRequests / 2, clock, failures);
        var raw = await RunRawAsync(server.Port, 0, RawConnections / 2, clock);
        var heapAfterFirstHalf = GC.GetTotalMemory(forceFullCollection: true);
        var secondHalf = await RunAsync(clients, server, HttpRequests / 2, HttpRequests, clock, failures);
        raw += await RunRawAsync(server.Port, RawConnections / 2, RawConnections, clock);
        var heapAfterSecondHalf = GC.GetTotalMemory(forceFullCollection: true);

        Assert.True(clock.Elapsed < WallClockCap, $"wall-clock cap hit after {firstHalf + secondHalf} requests");
        Assert.Equal(HttpRequests, firstHalf + secondHalf);
        Assert.Equal(RawConnections, raw);
        Assert.True(failures.IsEmpty, $"{failures.Count} unanswered, e.g. {string.Join(" / ", failures.Take(5))}");

        using var channel = server.CreateChannel();
        var reply = await channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = "still alive" }).ResponseAsync.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("still alive", reply.Text);

        Assert.True(heapAfterSecondHalf < HeapBound, $"heap {heapAfterSecondHalf} bytes");
        Assert.True(heapAfterSecondHalf - heapAfterFirstHalf < GrowthBound, $"heap grew from {heapAfterFirstHalf} to {heapAfterSecondHalf}");
    }

    private static async Task<int> RunAsync((HttpMessageInvoker Normal, HttpMessageInvoker Resetting) clients, TestServer server, int from, int to, Stopwatch clock, System.Collections.Concurrent.ConcurrentQueue<string> failures)
    {
        var next = from - 1;
        var done = 0;
        var workers = Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < to && clock.Elapsed < WallClockCap)
            {
                if (await SendOneAsync(clients, server, index) is { } failure)
                {
                    failures.Enqueue(failure);
                }

                Interlocked.Increment(ref done);
            }
        });
        await Task.WhenAll(workers);
        return done;
    }

    // Returns null when the server answered as required, or a description of what went wrong.
    private static async Task<string?> SendOneAsync((HttpMessageInvoker Normal, HttpMessageInvoker Resetting) clients, TestServer server, int index)
    {
        var (request, expectReset) = MalformedRequestFactory.Create(server.Address, index, MaxMessageSize);
        var http = expectReset ? clients.Resetting : clients.Normal;
        using var _ = request;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            using var response = await http.SendAsync(request, cts.Token);
            if (response.StatusCode == HttpStatusCode.UnsupportedMediaType)
            {
                return null;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                return $"#{index}: HTTP {(int)response.StatusCode}";
            }

            if (response.Headers.Contains("grpc-status"))
            {
                return null;
            }

            await response.Content.CopyToAsync(Stream.Null, cts.Token);
            return response.TrailingHeaders.Contains("grpc-status") ? null : $"#{index}: no grpc-status";
        }
        catch (HttpRequestException) when (expectReset)
        {
            return null; // we reset the stream ourselves
        }
        catch (HttpProtocolException)
        {
            return null; // the server reset the stream or sent GOAWAY
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.HttpProtocolError || ex.InnerException is HttpProtocolException)
        {
            return null; // likewise, wrapped (e.g. ENHANCE_YOUR_CALM after our own reset storm)
        }
        catch (OperationCanceledException)
        {
            return $"#{index} (kind {index % MalformedRequestFactory.KindCount}): no answer within 20 s";
        }
        catch (HttpRequestException ex)
        {
            return $"#{index} (kind {index % MalformedRequestFactory.KindCount}): {ex.HttpRequestError} {ex.InnerException?.GetType().Name}: {ex.InnerException?.Message} // {ex.InnerException?.InnerException?.GetType().Name}: {ex.InnerException?.InnerException?.Message}";
        }
    }

    private static async Task<int> RunRawAsync(int port, int from, int to, Stopwatch clock)
    {
        var next = from - 1;
        var answered = 0;
        var workers = Enumerable.Range(0, 16).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < to && clock.Elapsed < WallClockCap)
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
}
