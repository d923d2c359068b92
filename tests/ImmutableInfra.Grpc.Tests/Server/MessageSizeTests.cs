using Google.Protobuf;
using ImmutableInfra.Grpc.Tests.TestSupport;
using ImmutableInfra.Grpc.Tests.V1;

namespace ImmutableInfra.Grpc.Tests.Server;

public sealed class MessageSizeTests
{
    private const int Limit = 64 * 1024;

    // A request whose serialized size is exactly `size` bytes.
    internal static EchoRequest RequestOfSize(int size)
    {
        var payload = size - 4;
        var request = new EchoRequest { Payload = ByteString.CopyFrom(new byte[payload]) };
        while (request.CalculateSize() > size)
        {
            request.Payload = ByteString.CopyFrom(new byte[--payload]);
        }

        Assert.Equal(size, request.CalculateSize());
        return request;
    }

    [Fact]
    public async Task Unary_RequestExactlyAtServerLimit_Succeeds()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxReceiveMessageSize = Limit);
        using var channel = server.CreateChannel();
        var reply = await channel.UnaryCall(EchoMethods.Unary, RequestOfSize(Limit));
        Assert.Equal(Limit - 4, reply.Payload.Length);
    }

    [Fact]
    public async Task Unary_RequestOneByteOverServerLimit_ReturnsResourceExhausted()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxReceiveMessageSize = Limit);
        using var channel = server.CreateChannel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, RequestOfSize(Limit + 1)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_DefaultLimit_AcceptsJustUnderFourMebibytesAndRejectsJustOver()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxSendMessageSize = 8 * 1024 * 1024);
        using var channel = server.CreateChannel(o =>
        {
            o.MaxSendMessageSize = 8 * 1024 * 1024;
            o.MaxReceiveMessageSize = 8 * 1024 * 1024;
        });
        var ok = await channel.UnaryCall(EchoMethods.Unary, RequestOfSize(4 * 1024 * 1024));
        Assert.True(ok.Payload.Length > 4_000_000);
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, RequestOfSize((4 * 1024 * 1024) + 1)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_ResponseOverClientLimit_ReturnsResourceExhausted()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel(o => o.MaxReceiveMessageSize = Limit);
        // Reply = payload (1 + 3 + n bytes) + count (2 bytes): n = Limit - 6 is exactly the limit.
        var under = await channel.UnaryCall(EchoMethods.Unary, new EchoRequest { ReplySize = Limit - 6 });
        Assert.Equal(Limit, under.CalculateSize());
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, new EchoRequest { ReplySize = Limit - 5 }).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_ResponseOverServerSendLimit_ReturnsResourceExhausted()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxSendMessageSize = Limit);
        using var channel = server.CreateChannel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, new EchoRequest { ReplySize = Limit }).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_RequestOverClientSendLimit_FailsLocallyWithResourceExhausted()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel(o => o.MaxSendMessageSize = Limit);
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, RequestOfSize(Limit + 1)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(0, server.AcceptedConnections);
    }

    [Fact]
    public async Task ClientStreaming_OneMessageOverServerLimit_ReturnsResourceExhausted()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxReceiveMessageSize = Limit);
        using var channel = server.CreateChannel();
        using var call = channel.ClientStreamingCall(EchoMethods.ClientStream);
        await call.RequestStream.WriteAsync(RequestOfSize(Limit));
        try
        {
            await call.RequestStream.WriteAsync(RequestOfSize(Limit + 1));
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The server may answer before the write completes; the status is checked below.
        }

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }
}
