using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.KubeApiServer;

namespace ImmutableInfra.Api.Tests.Fixtures;

/// <summary>An in-memory API server serving the shipped CRDs, and a client of it, shared by a test class.</summary>
public sealed class ApiServerFixture : IAsyncLifetime
{
    public InMemoryKubeApiServer Server { get; private set; } = null!;

    public KubeClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await InMemoryKubeApiServer.StartAsync(new InMemoryKubeApiServerOptions { IncludeCapiCrds = false });
        foreach (var kind in Kind.All)
        {
            Server.RegisterCrds(kind.CrdYaml);
        }

        Client = new KubeClient(new KubeConnectionSettings { Server = Server.Url, Namespace = "default" }, new KubeClientOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
