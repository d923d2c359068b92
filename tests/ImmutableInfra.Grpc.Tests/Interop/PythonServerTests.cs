using ImmutableInfra.Grpc.Tests.Server;
using ImmutableInfra.Grpc.Tests.TestSupport;
using ImmutableInfra.Grpc.Tests.V1;

namespace ImmutableInfra.Grpc.Tests.Interop;

/// <summary>Our client against a python3-grpcio server.</summary>
public sealed class PythonServerTests(PythonServerFixture python) : IClassFixture<PythonServerFixture>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly byte[] Binary = [0, 1, 2, 254, 255, 61];

    private GrpcChannel Channel(Action<GrpcChannelOptions>? configure = null)
    {
        var options = new GrpcChannelOptions();
        configure?.Invoke(options);
        return GrpcChannel.ForAddress(python.Address, options);
    }

    [Fact]
    public async Task Unary_WithMetadata_EchoesMessageHeadersAndTrailers()
    {
        using var channel = Channel();
        var headers = new Metadata().Add("x-echo", "v1").Add("x-echo-bin", Binary);
        using var call = channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = "hello" }, new CallOptions(Headers: headers));
        Assert.Equal("hello", (await call.ResponseAsync.WaitAsync(Bound)).Text);
        var responseHeaders = await call.ResponseHeadersAsync;
        Assert.Equal("v1", responseHeaders.GetValue("x-echo"));
        Assert.Equal(Binary, responseHeaders.GetValueBytes("x-echo-bin"));
        Assert.Equal(Binary, call.GetTrailers().GetValueBytes("x-trailer-bin"));
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerStreaming_ReturnsEveryMessage()
    {
        using var channel = Channel();
        using var call = channel.ServerStreamingCall(EchoMethods.ServerStream, new EchoRequest { Repeat = 6 });
        var indexes = new List<int>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync().WithCancellation(new CancellationTokenSource(Bound).Token))
        {
            indexes.Add(reply.Index);
        }

        Assert.Equal(Enumerable.Range(0, 6), indexes);
    }

    [Fact]
    public async Task ClientStreaming_ServerSeesAllMessages()
    {
        using var channel = Channel();
        using var call = channel.ClientStreamingCall(EchoMethods.ClientStream);
        foreach (var text in new[] { "x", "y", "z" })
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = text });
        }

        await call.RequestStream.CompleteAsync();
        var reply = await call.ResponseAsync.WaitAsync(Bound);
        Assert.Equal("xyz", reply.Text);
        Assert.Equal(3, reply.Count);
    }

    [Fact]
    public async Task Duplex_PingPong_WithBinaryMetadata()
    {
        using var channel = Channel();
        using var call = channel.DuplexStreamingCall(EchoMethods.Duplex, new CallOptions(Headers: new Metadata().Add("x-echo-bin", Binary)));
        for (var i = 0; i < 5; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = $"p{i}" });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
            Assert.Equal($"p{i}", call.ResponseStream.Current.Text);
        }

        Assert.Equal(Binary, (await call.ResponseHeadersAsync).GetValueBytes("x-echo-bin"));
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
        Assert.Equal(Binary, call.GetTrailers().GetValueBytes("x-trailer-bin"));
    }

    [Fact]
    public async Task Unary_ServerAborts_ReturnsStatusMessageAndTrailers()
    {
        using var channel = Channel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, new EchoRequest { FailCode = 9, FailMessage = "precondition: caf\u00e9 100%" }).ResponseAsync.WaitAsync(Bound));
        Assert.Equal(StatusCode.FailedPrecondition, ex.StatusCode);
        Assert.Equal("precondition: caf\u00e9 100%", ex.Status.Detail);
        Assert.Equal("yes", ex.Trailers.GetValue("x-failure"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, ex.Trailers.GetValueBytes("x-failure-bin"));
    }

    [Fact]
    public async Task ServerStreaming_FailsAfterMessages_ReturnsStatusAfterMessages()
    {
        using var channel = Channel();
        using var call = channel.ServerStreamingCall(EchoMethods.ServerStream, new EchoRequest { Repeat = 2, FailCode = 10, FailMessage = "aborted late" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Bound));
        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
        Assert.Equal("aborted late", ex.Status.Detail);
    }

    [Fact]
    public async Task Unary_DeadlineExceeded_PythonServerEnforces()
    {
        using var channel = Channel(o => o.EnforceDeadlinesLocally = false);
        var text = $"deadline-server-{Guid.NewGuid():N}";
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = text, DelayMs = 20_000 }, new CallOptions(Deadline: DateTimeOffset.UtcNow.AddMilliseconds(1500))).ResponseAsync.WaitAsync(Bound));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await python.Process.WaitForLineAsync($"CANCELLED {text}", Bound);
    }

    [Fact]
    public async Task Unary_DeadlineExceeded_ClientEnforces()
    {
        using var channel = Channel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, new EchoRequest { DelayMs = 20_000 }, new CallOptions(Deadline: DateTimeOffset.UtcNow.AddMilliseconds(300))).ResponseAsync.WaitAsync(Bound));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_ClientCancels_PythonHandlerSeesCancellation()
    {
        using var channel = Channel();
        var text = $"cancel-{Guid.NewGuid():N}";
        using var cts = new CancellationTokenSource();
        using var call = channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = text, DelayMs = 20_000 }, new CallOptions(CancellationToken: cts.Token));
        await python.Process.WaitForLineAsync($"STARTED {text}", Bound);
        await cts.CancelAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Bound));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        await python.Process.WaitForLineAsync($"CANCELLED {text}", Bound);
    }

    [Fact]
    public async Task Unary_RequestAtAndOverPythonLimit_OkThenResourceExhausted()
    {
        using var channel = Channel();
        var ok = await channel.UnaryCall(EchoMethods.Unary, MessageSizeTests.RequestOfSize(PythonServerFixture.Limit)).ResponseAsync.WaitAsync(Bound);
        Assert.Equal(PythonServerFixture.Limit - 4, ok.Payload.Length);
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, MessageSizeTests.RequestOfSize(PythonServerFixture.Limit + 1)).ResponseAsync.WaitAsync(Bound));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_ResponseAtAndOverClientLimit_OkThenResourceExhausted()
    {
        const int limit = 32 * 1024;
        using var channel = Channel(o => o.MaxReceiveMessageSize = limit);
        var ok = await channel.UnaryCall(EchoMethods.Unary, new EchoRequest { ReplySize = limit - 6 }).ResponseAsync.WaitAsync(Bound);
        Assert.Equal(limit, ok.CalculateSize());
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, new EchoRequest { ReplySize = limit - 5 }).ResponseAsync.WaitAsync(Bound));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_GzipBothWays_RoundTrips()
    {
        using var channel = Channel(o => o.SendCompression = MessageCompression.Gzip);
        var text = new string('q', 40_000);
        var reply = await channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = text }).ResponseAsync.WaitAsync(Bound);
        Assert.Equal(text, reply.Text);
    }

    [Fact]
    public async Task Unary_UnknownMethod_ReturnsUnimplemented()
    {
        using var channel = Channel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unbound, new EchoRequest()).ResponseAsync.WaitAsync(Bound));
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }
}
