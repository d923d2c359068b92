using Google.Protobuf;
using ImmutableInfra.Grpc.Tests.TestSupport;
using ImmutableInfra.Grpc.Tests.V1;

namespace ImmutableInfra.Grpc.Tests.Server;

public sealed class CallKindTests
{
    [Fact]
    public async Task Unary_Echo_ReturnsResponseAndOkStatus()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        using var call = channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = "hello", Payload = ByteString.CopyFromUtf8("p") });
        var reply = await call;
        Assert.Equal("hello", reply.Text);
        Assert.Equal("p", reply.Payload.ToStringUtf8());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerStreaming_Repeat_ReturnsEveryMessageInOrder()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        using var call = channel.ServerStreamingCall(EchoMethods.ServerStream, new EchoRequest { Text = "s", Repeat = 25 });
        var indexes = new List<int>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            indexes.Add(reply.Index);
        }

        Assert.Equal(Enumerable.Range(0, 25), indexes);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerStreaming_ZeroMessages_EndsWithOk()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        using var call = channel.ServerStreamingCall(EchoMethods.ServerStream, new EchoRequest { Repeat = 0 });
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ClientStreaming_SeveralRequests_ServerSeesAll()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        using var call = channel.ClientStreamingCall(EchoMethods.ClientStream);
        foreach (var part in new[] { "a", "b", "c" })
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = part });
        }

        await call.RequestStream.CompleteAsync();
        var reply = await call;
        Assert.Equal("abc", reply.Text);
        Assert.Equal(3, reply.Count);
    }

    [Fact]
    public async Task Duplex_PingPong_EachRequestAnsweredBeforeNextIsSent()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        using var call = channel.DuplexStreamingCall(EchoMethods.Duplex);
        for (var i = 0; i < 10; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = $"m{i}" });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal($"m{i}", call.ResponseStream.Current.Text);
            Assert.Equal(i, call.ResponseStream.Current.Index);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Unary_Gzip_BothDirectionsCompressedAndDecoded()
    {
        await using var server = await TestServer.StartAsync(o => o.ResponseCompression = MessageCompression.Gzip);
        using var channel = server.CreateChannel(o => o.SendCompression = MessageCompression.Gzip);
        var text = new string('z', 100_000);
        using var call = channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = text });
        var reply = await call;
        Assert.Equal(text, reply.Text);
        var headers = await call.ResponseHeadersAsync;
        Assert.NotNull(headers);
    }

    [Fact]
    public async Task Duplex_Gzip_StreamsCompressedMessages()
    {
        await using var server = await TestServer.StartAsync(o => o.ResponseCompression = MessageCompression.Gzip);
        using var channel = server.CreateChannel(o => o.SendCompression = MessageCompression.Gzip);
        using var call = channel.DuplexStreamingCall(EchoMethods.Duplex);
        for (var i = 0; i < 5; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = new string((char)('a' + i), 10_000) });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(new string((char)('a' + i), 10_000), call.ResponseStream.Current.Text);
        }

        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
    }
}
