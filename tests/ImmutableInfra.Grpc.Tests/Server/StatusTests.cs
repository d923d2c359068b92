using System.Net;
using System.Net.Http.Headers;
using ImmutableInfra.Grpc.Tests.TestSupport;
using ImmutableInfra.Grpc.Tests.V1;

namespace ImmutableInfra.Grpc.Tests.Server;

public sealed class StatusTests
{
    [Fact]
    public async Task Unary_HandlerThrowsRpcException_ReturnsStatusMessageAndTrailers()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        using var call = channel.UnaryCall(EchoMethods.Unary, new EchoRequest { FailCode = (int)StatusCode.NotFound, FailMessage = "no such host: caf\u00e9 100%" });
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Equal("no such host: caf\u00e9 100%", ex.Status.Detail);
        // Nothing was sent before the failure, so this was a trailers-only response.
        Assert.Equal("yes", ex.Trailers.GetValue("x-failure"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, ex.Trailers.GetValueBytes("x-failure-bin"));
    }

    [Fact]
    public async Task ServerStreaming_FailAfterMessages_DeliversMessagesThenStatusInTrailers()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        using var call = channel.ServerStreamingCall(EchoMethods.ServerStream, new EchoRequest { Repeat = 3, FailCode = (int)StatusCode.Aborted, FailMessage = "late failure" });
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        }

        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
        Assert.Equal("late failure", ex.Status.Detail);
        Assert.Equal("yes", call.GetTrailers().GetValue("x-failure"));
    }

    [Fact]
    public async Task Unary_HandlerThrowsPlainException_ReturnsUnknownWithoutExceptionText()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, new EchoRequest { ThrowPlain = true }).ResponseAsync);
        Assert.Equal(StatusCode.Unknown, ex.StatusCode);
        Assert.DoesNotContain("secret", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unary_UnboundMethod_ReturnsUnimplemented()
    {
        await using var server = await TestServer.StartAsync();
        using var channel = server.CreateChannel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unbound, new EchoRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_UnknownService_ReturnsUnimplementedTrailersOnlyWithHttp200()
    {
        await using var server = await TestServer.StartAsync();
        using var http = new HttpClient();
        using var request = RawRequest(server, "/no.such.Service/Method", "application/grpc");
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("12", response.Headers.GetValues("grpc-status").Single());
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());

        using var channel = server.CreateChannel();
        var method = new Method<EchoRequest, EchoReply>(MethodType.Unary, "no.such.Service", "Method", EchoMethods.Unary.RequestMarshaller, EchoMethods.Unary.ResponseMarshaller);
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(method, new EchoRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("application/grpcx")]
    public async Task Post_NonGrpcContentType_Returns415(string contentType)
    {
        await using var server = await TestServer.StartAsync();
        using var http = new HttpClient();
        using var request = RawRequest(server, "/immutableinfra.test.v1.EchoService/Unary", contentType);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Unary_UnsupportedRequestEncoding_ReturnsUnimplementedWithAcceptEncoding()
    {
        await using var server = await TestServer.StartAsync();
        using var http = new HttpClient();
        using var request = RawRequest(server, "/immutableinfra.test.v1.EchoService/Unary", "application/grpc");
        request.Headers.TryAddWithoutValidation("grpc-encoding", "snappy");
        using var response = await http.SendAsync(request);
        Assert.Equal("12", response.Headers.GetValues("grpc-status").Single());
        Assert.Contains("gzip", response.Headers.GetValues("grpc-accept-encoding").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.Unauthorized, StatusCode.Unauthenticated)]
    [InlineData(HttpStatusCode.Forbidden, StatusCode.PermissionDenied)]
    [InlineData(HttpStatusCode.NotFound, StatusCode.Unimplemented)]
    [InlineData(HttpStatusCode.TooManyRequests, StatusCode.Unavailable)]
    [InlineData(HttpStatusCode.BadGateway, StatusCode.Unavailable)]
    [InlineData(HttpStatusCode.ServiceUnavailable, StatusCode.Unavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout, StatusCode.Unavailable)]
    [InlineData(HttpStatusCode.BadRequest, StatusCode.Internal)]
    [InlineData(HttpStatusCode.Conflict, StatusCode.Unknown)]
    public async Task Unary_HttpErrorWithoutGrpcStatus_MapsPerSpec(HttpStatusCode http, StatusCode expected)
    {
        await using var plain = await PlainHttp2Server.StartAsync(context =>
        {
            context.Response.StatusCode = (int)http;
            return Task.CompletedTask;
        });
        using var channel = GrpcChannel.ForAddress(plain.Address);
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, new EchoRequest()).ResponseAsync);
        Assert.Equal(expected, ex.StatusCode);
    }

    private static HttpRequestMessage RawRequest(TestServer server, string path, string contentType)
    {
        var content = new ByteArrayContent(MessageFrameWriter.Frame([]));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
    }
}
