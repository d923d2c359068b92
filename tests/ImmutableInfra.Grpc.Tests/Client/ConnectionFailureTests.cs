using System.Net;
using System.Net.Sockets;
using ImmutableInfra.Grpc.Tests.TestSupport;
using ImmutableInfra.Grpc.Tests.V1;

namespace ImmutableInfra.Grpc.Tests.Client;

public sealed class ConnectionFailureTests
{
    // Writers wait for HttpClient to ask for the request body; a request that fails before it asks
    // (nothing listening, a refused stream) must release them with the failure, not leave them waiting.
    [Fact]
    public async Task Duplex_NoServer_FirstWriteFailsWithUnavailable()
    {
        using var channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{UnusedPort()}"));
        using var call = channel.DuplexStreamingCall(EchoMethods.Duplex);

        await AssertFirstWriteFailsAsync(call.RequestStream, StatusCode.Unavailable);
    }

    [Fact]
    public async Task ClientStreaming_NoServer_FirstWriteFailsWithUnavailable()
    {
        using var channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{UnusedPort()}"));
        using var call = channel.ClientStreamingCall(EchoMethods.ClientStream);

        await AssertFirstWriteFailsAsync(call.RequestStream, StatusCode.Unavailable);
    }

    // The server may answer a stream with its final status before reading anything (unknown method,
    // bad credentials). A write may still succeed (the frame meets a closed stream), but the status
    // must surface promptly, on the write or on the next read, never as a call that waits forever.
    [Fact]
    public async Task Duplex_ServerAnswersWithStatusAtOnce_WriteOrNextReadSurfacesThatStatus()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        for (var attempt = 0; attempt < 200; attempt++)
        {
            using var call = channel.DuplexStreamingCall(NoSuchStream);
            var exchange = WriteThenReadAsync(call);
            var finished = await Task.WhenAny(exchange, Task.Delay(TimeSpan.FromSeconds(10)));

            Assert.Same(exchange, finished);
            var error = await Assert.ThrowsAsync<RpcException>(() => exchange);
            Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        }
    }

    private static async Task WriteThenReadAsync(AsyncDuplexStreamingCall<EchoRequest, EchoReply> call)
    {
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "first" });
        await call.ResponseStream.MoveNext(CancellationToken.None);
    }

    // Once the server's status has arrived, HttpClient disposes the request body; a later write must
    // report the call's status, not leak the transport's ObjectDisposedException.
    [Fact]
    public async Task Duplex_WriteAfterServerEndedTheCall_FailsWithTheCallsStatus()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();

        for (var attempt = 0; attempt < 10; attempt++)
        {
            using var call = channel.DuplexStreamingCall(NoSuchStream);
            var error = await Assert.ThrowsAsync<RpcException>(async () =>
            {
                for (var write = 0; write < 50; write++)
                {
                    await call.RequestStream.WriteAsync(new EchoRequest { Text = "again" });
                    await Task.Delay(5);
                }
            });

            Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        }
    }

    // A duplex method the server does not serve: it answers with UNIMPLEMENTED before reading anything.
    private static readonly Method<EchoRequest, EchoReply> NoSuchStream = new(MethodType.DuplexStreaming, EchoMethods.Duplex.ServiceName, "NoSuchStream",
        EchoMethods.Duplex.RequestMarshaller, EchoMethods.Duplex.ResponseMarshaller);

    private static async Task AssertFirstWriteFailsAsync(IClientStreamWriter<EchoRequest> requests, StatusCode expected)
    {
        var write = requests.WriteAsync(new EchoRequest { Text = "first" });
        var finished = await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(write, finished);
        var error = await Assert.ThrowsAsync<RpcException>(() => write);
        Assert.Equal(expected, error.StatusCode);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
