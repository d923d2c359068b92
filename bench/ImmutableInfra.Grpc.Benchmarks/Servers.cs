using System.Net;
using Google.Protobuf.WellKnownTypes;
using ImmutableInfra.Grpc.Benchmarks.V1;
using ImmutableInfra.Grpc.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Grpc.Benchmarks;

/// <summary>The two servers under test: our gRPC server and a plain Kestrel HTTP/2 echo endpoint.</summary>
internal static class Servers
{
    public static Task<GrpcServer> StartGrpcAsync()
    {
        var service = ServerServiceDefinition.CreateBuilder(BenchReflection.Descriptor.Services[0])
            .AddUnary<BytesValue, BytesValue>("Echo", static (request, _) => Task.FromResult(request))
            .AddDuplexStreaming<BytesValue, BytesValue>("EchoStream", static async (requests, responses, context) =>
            {
                while (await requests.MoveNext(context.CancellationToken))
                {
                    await responses.WriteAsync(requests.Current);
                }
            })
            .Build();
        var options = new GrpcServerOptions { MaxConcurrentStreams = 1000 };
        options.Endpoints.Add(new GrpcEndpointOptions { EndPoint = new IPEndPoint(IPAddress.Loopback, 0), AllowInsecure = true });
        return GrpcServer.StartAsync(options, [service]);
    }

    public static async Task<(WebApplication App, Uri Address)> StartPlainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Limits.Http2.InitialConnectionWindowSize = 1024 * 1024;
            kestrel.Limits.Http2.InitialStreamWindowSize = 768 * 1024;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        app.MapPost("/echo", static (HttpContext context) => context.Request.Body.CopyToAsync(context.Response.Body, context.RequestAborted));
        await app.StartAsync();
        return (app, new Uri($"http://127.0.0.1:{new Uri(app.Urls.First()).Port}"));
    }
}
