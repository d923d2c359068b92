using ImmutableInfra.Grpc.Tests.TestSupport;
using ImmutableInfra.Grpc.Tests.V1;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ImmutableInfra.Grpc.Tests.Server;

public sealed class CancellationTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Unary_ClientCancels_ReturnsCancelledAndServerHandlerIsCancelled()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        using var cts = new CancellationTokenSource();
        using var call = channel.UnaryCall(EchoMethods.Unary, new EchoRequest { DelayMs = 30_000 }, new CallOptions(CancellationToken: cts.Token));
        await server.Echo.HandlerStarted.Task.WaitAsync(Generous);
        await cts.CancelAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Generous));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.True(await server.Echo.HandlerCancelled.Task.WaitAsync(Generous));
    }

    [Fact]
    public async Task Duplex_ClientDisposesMidStream_ServerHandlerIsCancelled()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var call = channel.DuplexStreamingCall(EchoMethods.Duplex);
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "one" });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        await call.RequestStream.WriteAsync(new EchoRequest { DelayMs = 30_000 });
        await server.Echo.HandlerStarted.Task.WaitAsync(Generous);
        call.Dispose();
        Assert.True(await server.Echo.HandlerCancelled.Task.WaitAsync(Generous));
        Assert.Equal(StatusCode.Cancelled, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task ServerStreaming_ReadCancelledByToken_ReturnsCancelled()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        using var call = channel.ServerStreamingCall(EchoMethods.ServerStream, new EchoRequest { Repeat = 1, DelayMs = 30_000 });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(cts.Token).WaitAsync(Generous));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.True(await server.Echo.HandlerCancelled.Task.WaitAsync(Generous));
    }

    [Fact]
    public async Task Unary_ServerResetsStreamWithCancel_ReturnsCancelled()
    {
        await using var resetting = await PlainHttp2Server.StartAsync(async context =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.FlushAsync();
            context.Features.Get<IHttpResetFeature>()!.Reset(8); // CANCEL
        });
        using var channel = GrpcChannel.ForAddress(resetting.Address);
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, new EchoRequest()).ResponseAsync.WaitAsync(Generous));
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_ServerHandlerReturnsCancelled_ClientSeesCancelled()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, new EchoRequest { FailCode = (int)StatusCode.Cancelled, FailMessage = "server gave up" }).ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.Equal("server gave up", ex.Status.Detail);
    }

    [Fact]
    public async Task Unary_TokenAlreadyCancelled_FailsWithoutSending()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, new EchoRequest(), new CallOptions(CancellationToken: cts.Token)).ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
    }
}
