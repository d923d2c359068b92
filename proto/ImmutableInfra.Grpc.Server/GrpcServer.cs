using ImmutableInfra.Grpc.Server.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using System.Security.Cryptography.X509Certificates;

namespace ImmutableInfra.Grpc.Server;

/// <summary>A gRPC server on Kestrel (HTTP/2 only; TLS, or h2c when explicitly allowed).</summary>
public sealed class GrpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcServer(WebApplication app, IReadOnlyList<Uri> addresses)
    {
        _app = app;
        Addresses = addresses;
    }

    /// <summary>The bound addresses (with the real ports when port 0 was asked for).</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    /// <summary>Validates <paramref name="options"/>, binds every endpoint and starts serving <paramref name="services"/>.</summary>
    public static async Task<GrpcServer> StartAsync(
        GrpcServerOptions options, IEnumerable<ServerServiceDefinition> services, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<GrpcServer>();
        var dispatcher = new GrpcRequestDispatcher(services, options, logger);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(GrpcServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, options));

        var app = builder.Build();
        ((IApplicationBuilder)app).Run(dispatcher.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        var addresses = new List<Uri>();
        var feature = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        foreach (var address in feature?.Addresses ?? [])
        {
            addresses.Add(new Uri(address));
            GrpcServerLog.Listening(logger, address);
        }

        return new GrpcServer(app, addresses);
    }

    /// <summary>Stops accepting calls and waits (up to the shutdown timeout) for running ones.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, GrpcServerOptions options)
    {
        kestrel.AddServerHeader = false;
        var limits = kestrel.Limits;
        // gRPC streams are long-lived and may idle; per-message bounds are enforced by the call itself.
        limits.MaxRequestBodySize = null;
        limits.MinRequestBodyDataRate = null;
        limits.MinResponseDataRate = null;
        limits.Http2.MaxStreamsPerConnection = options.MaxConcurrentStreams;
        limits.Http2.KeepAlivePingDelay = options.KeepAlivePingDelay;
        limits.Http2.KeepAlivePingTimeout = options.KeepAlivePingTimeout;
        limits.Http2.InitialConnectionWindowSize = 1024 * 1024;
        limits.Http2.InitialStreamWindowSize = 768 * 1024;

        foreach (var endpoint in options.Endpoints)
        {
            kestrel.Listen(endpoint.EndPoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                endpoint.ConfigureListenOptions?.Invoke(listen);
                if (endpoint.IsTls)
                {
                    listen.UseHttps(CreateHttpsOptions(endpoint));
                }
            });
        }
    }

    private static HttpsConnectionAdapterOptions CreateHttpsOptions(GrpcEndpointOptions endpoint)
    {
        var https = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = endpoint.ServerCertificate
                ?? X509Certificate2.CreateFromPemFile(endpoint.CertificatePemPath!, endpoint.PrivateKeyPemPath),
            ClientCertificateMode = endpoint.ClientCertificateMode,
            HandshakeTimeout = TimeSpan.FromSeconds(10),
        };

        if (endpoint.ClientCaCertificates is { } cas)
        {
            https.ClientCertificateValidation = (certificate, _, _) => ClientCertificateValidation.Validate(certificate, cas);
        }

        return https;
    }
}
