using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Grpc.Tests.TestSupport;

/// <summary>A bare Kestrel h2c endpoint with an arbitrary handler, to play a misbehaving peer.</summary>
internal sealed class PlainHttp2Server(WebApplication app, Uri address) : IAsyncDisposable
{
    public Uri Address { get; } = address;

    public static async Task<PlainHttp2Server> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        ((IApplicationBuilder)app).Run(handler);
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        return new PlainHttp2Server(app, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
