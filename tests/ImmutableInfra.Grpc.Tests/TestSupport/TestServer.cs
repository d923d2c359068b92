using System.Net;
using System.Security.Cryptography.X509Certificates;
using ImmutableInfra.Grpc.Server;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace ImmutableInfra.Grpc.Tests.TestSupport;

/// <summary>A real Kestrel gRPC server on 127.0.0.1 with a free port, serving the Echo service and counting TCP connections.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private int _connections;

    private TestServer()
    {
    }

    public EchoService Echo { get; } = new();

    public GrpcServer Server { get; private set; } = null!;

    public int AcceptedConnections => Volatile.Read(ref _connections);

    public Uri Address { get; private set; } = null!;

    public int Port => Address.Port;

    public static async Task<TestServer> StartAsync(
        Action<GrpcServerOptions>? configure = null,
        X509Certificate2? serverCertificate = null,
        X509Certificate2? clientCa = null,
        ClientCertificateMode clientCertificateMode = ClientCertificateMode.NoCertificate,
        IEnumerable<ServerServiceDefinition>? extraServices = null)
    {
        var host = new TestServer();
        var endpoint = new GrpcEndpointOptions
        {
            EndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            AllowInsecure = serverCertificate is null,
            ServerCertificate = serverCertificate,
            ClientCertificateMode = clientCertificateMode,
            ClientCaCertificates = clientCa is null ? null : new X509Certificate2Collection(clientCa),
            ConfigureListenOptions = listen => listen.Use(next => connection =>
            {
                Interlocked.Increment(ref host._connections);
                return next(connection);
            }),
        };
        var options = new GrpcServerOptions();
        options.Endpoints.Add(endpoint);
        configure?.Invoke(options);
        var services = new List<ServerServiceDefinition> { host.Echo.Bind() };
        services.AddRange(extraServices ?? []);
        host.Server = await GrpcServer.StartAsync(options, services);
        var bound = host.Server.Addresses[0];
        host.Address = new Uri($"{(serverCertificate is null ? "http" : "https")}://127.0.0.1:{bound.Port}");
        return host;
    }

    public GrpcChannel CreateChannel(Action<GrpcChannelOptions>? configure = null)
    {
        var options = new GrpcChannelOptions();
        configure?.Invoke(options);
        return GrpcChannel.ForAddress(Address, options);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
