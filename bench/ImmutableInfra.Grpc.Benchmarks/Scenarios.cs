using System.Diagnostics;
using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using ImmutableInfra.Grpc.Benchmarks.V1;

namespace ImmutableInfra.Grpc.Benchmarks;

/// <summary>Closed-loop load: <c>concurrency</c> workers run as fast as they can for a fixed time; the result is operations per second.</summary>
internal static class Scenarios
{
    public static Task<double> GrpcUnaryAsync(BenchService.BenchServiceClient client, int size, int concurrency, TimeSpan duration)
    {
        var request = new BytesValue { Value = ByteString.CopyFrom(new byte[size]) };
        return RunAsync(concurrency, duration, async stop =>
        {
            long count = 0;
            while (!stop.IsCancellationRequested)
            {
                using var call = client.EchoAsync(request, cancellationToken: CancellationToken.None);
                var reply = await call.ResponseAsync;
                if (reply.Value.Length != size)
                {
                    throw new InvalidOperationException("Echo returned the wrong size.");
                }

                count++;
            }

            return count;
        });
    }

    public static Task<double> PlainUnaryAsync(HttpMessageInvoker http, Uri address, int size, int concurrency, TimeSpan duration)
    {
        var payload = new byte[size];
        var uri = new Uri(address, "/echo");
        return RunAsync(concurrency, duration, async stop =>
        {
            long count = 0;
            var buffer = new byte[size + 1];
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, uri)
                {
                    Version = HttpVersion.Version20,
                    VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                    Content = new ByteArrayContent(payload),
                };
                using var response = await http.SendAsync(request, CancellationToken.None);
                await using var body = await response.Content.ReadAsStreamAsync(CancellationToken.None);
                var total = 0;
                int read;
                while ((read = await body.ReadAsync(buffer, CancellationToken.None)) > 0)
                {
                    total += read;
                }

                if (total != size)
                {
                    throw new InvalidOperationException("Echo returned the wrong size.");
                }

                count++;
            }

            return count;
        });
    }

    public static Task<double> GrpcStreamAsync(BenchService.BenchServiceClient client, int size, int concurrency, TimeSpan duration)
    {
        var message = new BytesValue { Value = ByteString.CopyFrom(new byte[size]) };
        return RunAsync(concurrency, duration, async stop =>
        {
            using var call = client.EchoStream(cancellationToken: CancellationToken.None);
            var writer = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    await call.RequestStream.WriteAsync(message);
                }

                await call.RequestStream.CompleteAsync();
            }, CancellationToken.None);
            long count = 0;
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
                if (!stop.IsCancellationRequested)
                {
                    count++;
                }
            }

            await writer;
            return count;
        });
    }

    public static Task<double> PlainStreamAsync(HttpMessageInvoker http, Uri address, int size, int concurrency, TimeSpan duration)
    {
        var chunk = new byte[size];
        var uri = new Uri(address, "/echo");
        return RunAsync(concurrency, duration, async stop =>
        {
            var content = new ChunkStreamContent(chunk, stop);
            using var request = new HttpRequestMessage(HttpMethod.Post, uri)
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = content,
            };
            using var response = await http.SendAsync(request, CancellationToken.None);
            await using var body = await response.Content.ReadAsStreamAsync(CancellationToken.None);
            var buffer = new byte[64 * 1024];
            long bytes = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, CancellationToken.None)) > 0)
            {
                if (!stop.IsCancellationRequested)
                {
                    bytes += read;
                }
            }

            return bytes / size;
        });
    }

    private static async Task<double> RunAsync(int concurrency, TimeSpan duration, Func<CancellationToken, Task<long>> worker)
    {
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => worker(stop.Token))).ToArray();
        await Task.Delay(duration);
        await stop.CancelAsync();
        var elapsed = clock.Elapsed;
        var counts = await Task.WhenAll(workers);
        return counts.Sum() / elapsed.TotalSeconds;
    }

    /// <summary>A request body that writes fixed-size chunks until stopped: the plain-HTTP/2 analogue of a message stream.</summary>
    private sealed class ChunkStreamContent(byte[] chunk, CancellationToken stop) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            while (!stop.IsCancellationRequested)
            {
                await stream.WriteAsync(chunk);
                await stream.FlushAsync();
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
