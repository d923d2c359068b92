using ImmutableInfra.Grpc.Tests.TestSupport;
using ImmutableInfra.Grpc.Tests.V1;
using Microsoft.AspNetCore.Http;

namespace ImmutableInfra.Grpc.Tests.Server;

public sealed class DeadlineTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Unary_DeadlineExceeded_ServerEnforcesWhenClientDoesNot()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel(o => o.EnforceDeadlinesLocally = false);
        using var call = channel.UnaryCall(EchoMethods.Unary, new EchoRequest { DelayMs = 30_000 }, new CallOptions(Deadline: DateTimeOffset.UtcNow.AddMilliseconds(300)));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Generous));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.True(await server.Echo.HandlerCancelled.Task.WaitAsync(Generous));
    }

    [Fact]
    public async Task Unary_HandlerIgnoresDeadline_ServerStillAnswersDeadlineExceeded()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel(o => o.EnforceDeadlinesLocally = false);
        using var call = channel.UnaryCall(
            EchoMethods.Unary,
            new EchoRequest { DelayMs = 1_500, IgnoreCancellation = true, Text = "late" },
            new CallOptions(Deadline: DateTimeOffset.UtcNow.AddMilliseconds(200)));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Generous));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task ServerStreaming_DeadlineExceeded_ServerEnforcesAfterSomeMessages()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel(o => o.EnforceDeadlinesLocally = false);
        using var call = channel.ServerStreamingCall(EchoMethods.ServerStream, new EchoRequest { Repeat = 2, DelayMs = 30_000 }, new CallOptions(Deadline: DateTimeOffset.UtcNow.AddMilliseconds(500)));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Generous));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_DeadlineExceeded_ClientEnforcesAgainstSilentServer()
    {
        var serverSawAbort = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var silent = await PlainHttp2Server.StartAsync(async context =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.FlushAsync();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                serverSawAbort.TrySetResult();
            }
        });
        using var channel = GrpcChannel.ForAddress(silent.Address);
        using var call = channel.UnaryCall(EchoMethods.Unary, new EchoRequest(), new CallOptions(Deadline: DateTimeOffset.UtcNow.AddMilliseconds(300)));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync.WaitAsync(Generous));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        await serverSawAbort.Task.WaitAsync(Generous); // the HTTP/2 stream was reset
    }

    [Fact]
    public async Task Unary_DeadlineAlreadyPassed_FailsWithoutSending()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        using var call = channel.UnaryCall(EchoMethods.Unary, new EchoRequest(), new CallOptions(Deadline: DateTimeOffset.UtcNow.AddSeconds(-1)));
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal(0, server.AcceptedConnections);
    }

    [Fact]
    public async Task Unary_Deadline_SentAsGrpcTimeoutFromTimeProvider()
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var capture = await PlainHttp2Server.StartAsync(context =>
        {
            seen.TrySetResult(context.Request.Headers["grpc-timeout"].ToString());
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = "0";
            return Task.CompletedTask;
        });
        var now = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = new FixedTimeProvider(now);
        using var channel = GrpcChannel.ForAddress(capture.Address, new GrpcChannelOptions { TimeProvider = clock, EnforceDeadlinesLocally = false });
        using var call = channel.UnaryCall(EchoMethods.Unary, new EchoRequest(), new CallOptions(Deadline: now.AddSeconds(5)));
        await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync); // OK without a message is an error
        Assert.Equal("5000000u", await seen.Task.WaitAsync(Generous));
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
