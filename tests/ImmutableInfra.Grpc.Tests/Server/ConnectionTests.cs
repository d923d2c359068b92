using ImmutableInfra.Grpc.Server;
using ImmutableInfra.Grpc.Tests.TestSupport;
using ImmutableInfra.Grpc.Tests.V1;
using Microsoft.Extensions.Options;

namespace ImmutableInfra.Grpc.Tests.Server;

public sealed class ConnectionTests
{
    [Fact]
    public async Task ManyConcurrentCalls_MultiplexOnOneConnection()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        await channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = "warm-up" });

        var streams = Enumerable.Range(0, 40).Select(_ => channel.DuplexStreamingCall(EchoMethods.Duplex)).ToList();
        foreach (var stream in streams)
        {
            await stream.RequestStream.WriteAsync(new EchoRequest { Text = "open" });
        }

        var unary = Enumerable.Range(0, 50).Select(i => channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = $"u{i}" }).ResponseAsync).ToList();
        var replies = await Task.WhenAll(unary);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"u{i}"), replies.Select(r => r.Text));

        foreach (var stream in streams)
        {
            Assert.True(await stream.ResponseStream.MoveNext(CancellationToken.None));
            await stream.RequestStream.CompleteAsync();
            Assert.False(await stream.ResponseStream.MoveNext(CancellationToken.None));
            stream.Dispose();
        }

        Assert.Equal(1, server.AcceptedConnections);
    }

    [Fact]
    public async Task SequentialCalls_ReuseTheConnection()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        for (var i = 0; i < 100; i++)
        {
            await channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = "again" });
        }

        Assert.Equal(1, server.AcceptedConnections);
    }

    [Fact]
    public async Task Start_InvalidOptions_ThrowsListingFailures()
    {
        var options = new GrpcServerOptions { MaxReceiveMessageSize = 0 };
        options.Endpoints.Add(new GrpcEndpointOptions());
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => GrpcServer.StartAsync(options, []));
        Assert.Contains(ex.Failures, f => f.Contains("AllowInsecure", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("MaxReceiveMessageSize", StringComparison.Ordinal));
    }
}
