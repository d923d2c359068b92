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

        var write = call.RequestStream.WriteAsync(new EchoRequest { Text = "first" });
        var finished = await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(write, finished);
        var error = await Assert.ThrowsAsync<RpcException>(() => write);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    [Fact]
    public async Task ClientStreaming_NoServer_FirstWriteFailsWithUnavailable()
    {
        using var channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{UnusedPort()}"));
        using var call = channel.ClientStreamingCall(EchoMethods.ClientStream);

        var write = call.RequestStream.WriteAsync(new EchoRequest { Text = "first" });
        var finished = await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(write, finished);
        var error = await Assert.ThrowsAsync<RpcException>(() => write);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
