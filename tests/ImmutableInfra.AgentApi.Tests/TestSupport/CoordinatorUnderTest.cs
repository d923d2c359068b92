using System.Net;
using ImmutableInfra.Coordinator.Hosting;
using ImmutableInfra.Lab;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.AgentApi.Tests.TestSupport;

/// <summary>
/// The real coordinator (CoordinatorServer: agent API, controllers, health) against the in-memory API server with a
/// pool, on loopback: h2c, or TLS with the given certificate files.
/// </summary>
internal sealed class CoordinatorUnderTest : IAsyncDisposable
{
    private CoordinatorUnderTest(LabEnvironment lab, CoordinatorServer server)
    {
        Lab = lab;
        Server = server;
    }

    public LabEnvironment Lab { get; }

    public CoordinatorServer Server { get; }

    public static string Pool => $"{LabEnvironment.Namespace}/{LabEnvironment.PoolName}";

    public string PoolToken => Lab.PoolToken!;

    public static async Task<CoordinatorUnderTest> StartAsync(AgentApiLimits? limits = null, string? tlsCertificateFile = null, string? tlsKeyFile = null)
    {
        var lab = await LabEnvironment.StartAsync(new LabOptions { Hosts = 0, Coordinators = 0 }, NullLoggerFactory.Instance, CancellationToken.None);
        try
        {
            var server = await CoordinatorServer.StartAsync(lab.Server.ConnectionSettings(LabEnvironment.CoordinatorToken), new CoordinatorOptions
            {
                Namespace = LabEnvironment.CoordinatorNamespace,
                ReplicaId = "agentapi-test",
                AgentApiEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
                HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
                Insecure = tlsCertificateFile is null,
                TlsCertificateFile = tlsCertificateFile,
                TlsPrivateKeyFile = tlsKeyFile,
                LeaderElect = false,
                RegistrationsPerSecond = 1000,
                RegistrationBurst = 2000,
                AgentApiLimits = limits ?? new AgentApiLimits(),
            }, NullLoggerFactory.Instance);
            var coordinator = new CoordinatorUnderTest(lab, server);
            await lab.CreatePoolAsync(CancellationToken.None);
            return coordinator;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Lab.DisposeAsync();
    }
}
