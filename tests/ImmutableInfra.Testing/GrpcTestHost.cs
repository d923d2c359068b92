using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Testing;

/// <summary>A grpc-dotnet server on a loopback port (h2c, or TLS with a given certificate) hosting service instances the test owns.</summary>
public sealed class GrpcTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public int Port => Address.Port;

    /// <summary>Starts a server with <paramref name="map"/> mapping the services (<c>app.MapGrpcService&lt;T&gt;()</c>) registered by <paramref name="services"/>.</summary>
    public static async Task<GrpcTestHost> StartAsync(
        Action<IServiceCollection> services, Action<WebApplication> map, X509Certificate2? certificate = null, int port = 0,
        Action<GrpcServiceOptions>? grpc = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromMilliseconds(200));
        ListenOptions? listener = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l =>
        {
            l.Protocols = HttpProtocols.Http2;
            if (certificate is not null)
            {
                l.UseHttps(certificate);
            }

            listener = l;
        }));
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        builder.Services.AddGrpc(o => grpc?.Invoke(o));
        services(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new GrpcTestHost(app, new Uri($"{(certificate is null ? "http" : "https")}://127.0.0.1:{listener!.IPEndPoint!.Port}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
