using ImmutableInfra.Grpc.Tests.TestSupport;
using ImmutableInfra.Grpc.Tests.V1;

namespace ImmutableInfra.Grpc.Tests.Server;

public sealed class MetadataExchangeTests
{
    private static readonly byte[] Binary = [0, 1, 2, 3, 254, 255, 61];

    [Fact]
    public async Task Unary_CustomAndBinaryMetadata_EchoedInHeadersAndTrailers()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var headers = new Metadata().Add("x-echo", "value-1").Add("x-echo-bin", Binary);
        using var call = channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = "m" }, new CallOptions(Headers: headers));
        await call;
        var responseHeaders = await call.ResponseHeadersAsync;
        Assert.Equal("value-1", responseHeaders.GetValue("x-echo"));
        Assert.Equal(Binary, responseHeaders.GetValueBytes("x-echo-bin"));
        var trailers = call.GetTrailers();
        Assert.Equal("value-1", trailers.GetValue("x-trailer"));
        Assert.Equal(Binary, trailers.GetValueBytes("x-trailer-bin"));
    }

    [Fact]
    public async Task Duplex_Metadata_AvailableBeforeFirstMessage()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        using var call = channel.DuplexStreamingCall(EchoMethods.Duplex, new CallOptions(Headers: new Metadata().Add("x-echo-bin", Binary)));
        var headers = await call.ResponseHeadersAsync.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(Binary, headers.GetValueBytes("x-echo-bin"));
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(Binary, call.GetTrailers().GetValueBytes("x-trailer-bin"));
    }

    [Fact]
    public async Task Unary_Peer_IsLoopbackAddress()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var reply = await channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = "whoami" });
        Assert.StartsWith("ipv4:127.0.0.1:", reply.Text, StringComparison.Ordinal);
    }
}
