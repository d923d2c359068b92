using System.Net;
using Google.Protobuf.WellKnownTypes;
using ImmutableInfra.Grpc.Benchmarks.V1;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Grpc.Benchmarks;

/// <summary>The two servers under test: Grpc.AspNetCore and a plain Kestrel HTTP/2 echo endpoint.</summary>
internal static class Servers
{
    /// <summary>Grpc.AspNetCore on its own Kestrel, with the same HTTP/2 settings as the plain endpoint.</summary>
    public static async Task<(WebApplication App, Uri Address)> StartGrpcAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        Configure(builder);
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = 16 * 1024 * 1024);
        var app = builder.Build();
        app.MapGrpcService<EchoService>();
        await app.StartAsync();
        return (app, new Uri($"http://127.0.0.1:{new Uri(app.Urls.First()).Port}"));
    }

    public static async Task<(WebApplication App, Uri Address)> StartPlainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        Configure(builder);
        var app = builder.Build();
        app.MapPost("/echo", static (HttpContext context) => context.Request.Body.CopyToAsync(context.Response.Body, context.RequestAborted));
        await app.StartAsync();
        return (app, new Uri($"http://127.0.0.1:{new Uri(app.Urls.First()).Port}"));
    }

    private static void Configure(WebApplicationBuilder builder) =>
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Limits.Http2.InitialConnectionWindowSize = 1024 * 1024;
            kestrel.Limits.Http2.InitialStreamWindowSize = 768 * 1024;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
        });

    /// <summary>Echoes a bytes payload, once or as a stream.</summary>
    private sealed class EchoService : BenchService.BenchServiceBase
    {
        public override Task<BytesValue> Echo(BytesValue request, ServerCallContext context) => Task.FromResult(request);

        public override async Task EchoStream(IAsyncStreamReader<BytesValue> requestStream, IServerStreamWriter<BytesValue> responseStream, ServerCallContext context)
        {
            while (await requestStream.MoveNext(context.CancellationToken))
            {
                await responseStream.WriteAsync(requestStream.Current);
            }
        }
    }
}
