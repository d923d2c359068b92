using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.KubeApiServer;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Tests.Fixtures;

/// <summary>
/// The API server the contract tests run against: the in-memory server (HTTPS, reached through a
/// kubeconfig it writes) by default, or the real cluster <c>KUBECONFIG</c> names. Makes and removes its
/// own namespace and registers the Widget test CRD.
/// </summary>
public sealed class KubeApiFixture : IAsyncLifetime
{
    private string? _kubeconfigDirectory;

    public InMemoryKubeApiServer? InMemory { get; private set; }

    public KubeClient Client { get; private set; } = null!;

    public string Namespace { get; } = "contract-" + Guid.NewGuid().ToString("N")[..8];

    public bool IsRealCluster => InMemory is null;

    public async Task InitializeAsync()
    {
        KubeConnectionSettings settings;
        var kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrEmpty(kubeconfig))
        {
            settings = KubeConfigLoader.FromProcess().Load();
        }
        else
        {
            InMemory = await InMemoryKubeApiServer.StartAsync(new InMemoryKubeApiServerOptions { Https = true });
            _kubeconfigDirectory = Directory.CreateTempSubdirectory("kubeconfig-").FullName;
            var path = Path.Combine(_kubeconfigDirectory, "config");
            InMemory.WriteKubeConfig(path);
            settings = new KubeConfigLoader(_ => null).Load(explicitPath: path);
        }

        Client = new KubeClient(settings, new KubeClientOptions { InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200) });
        await Client.Resource(KubeResources.Namespaces).CreateAsync(new KubeNamespace { Metadata = new ObjectMeta { Name = Namespace } });
        var crds = Client.Resource(KubeResources.CustomResourceDefinitions);
        try
        {
            await crds.GetAsync(null, "widgets.test.immutableinfra.io");
        }
        catch (KubeNotFoundException)
        {
            // Registered by POSTing the CRD object, as kubectl would (the schema rides in unknown fields).
            var yaml = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "widgets.crd.yaml"));
            var json = ImmutableInfra.KubeApiServer.Crds.YamlToJson.Documents(yaml)[0].ToJsonString();
            var crd = System.Text.Json.JsonSerializer.Deserialize(json, KubeJsonContext.Default.CustomResourceDefinition)!;
            await crds.CreateAsync(crd);
        }

        await WaitForWidgetsServedAsync();
    }

    public async Task DisposeAsync()
    {
        try
        {
            await Client.Resource(KubeResources.Namespaces).DeleteAsync(null, Namespace);
        }
        finally
        {
            Client.Dispose();
            if (InMemory is not null)
            {
                await InMemory.DisposeAsync();
            }

            if (_kubeconfigDirectory is not null)
            {
                Directory.Delete(_kubeconfigDirectory, recursive: true);
            }
        }
    }

    private async Task WaitForWidgetsServedAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                await Client.Resource(Widget.Descriptor).ListAsync(Namespace);
                return;
            }
            catch (KubeNotFoundException)
            {
                await Task.Delay(100);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class KubeApiGroup : ICollectionFixture<KubeApiFixture>
{
    public const string Name = "kube-api";
}
