using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.KubeApiServer;

namespace ImmutableInfra.Kubernetes.Tests.Fixtures;

/// <summary>A private in-memory server (plain HTTP on 127.0.0.1) for tests that inject faults.</summary>
public sealed class InMemoryApi : IAsyncDisposable
{
    private InMemoryApi(InMemoryKubeApiServer server, KubeClient client)
    {
        Server = server;
        Client = client;
    }

    public InMemoryKubeApiServer Server { get; }

    public KubeClient Client { get; }

    public static async Task<InMemoryApi> StartAsync(Action<InMemoryKubeApiServerOptions>? configure = null, KubeClientOptions? clientOptions = null)
    {
        var options = new InMemoryKubeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) };
        configure?.Invoke(options);
        var server = await InMemoryKubeApiServer.StartAsync(options);
        var client = new KubeClient(server.ConnectionSettings(), clientOptions ?? FastRetries());
        return new InMemoryApi(server, client);
    }

    public static KubeClientOptions FastRetries() => new()
    {
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(50),
        MaxAttempts = 3,
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
