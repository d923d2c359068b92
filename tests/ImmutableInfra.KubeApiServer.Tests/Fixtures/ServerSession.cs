using ImmutableInfra.Packaging.Tests;
using ImmutableInfra.Packaging.Tests.Manifests;

namespace ImmutableInfra.KubeApiServer.Tests.Fixtures;

/// <summary>
/// A fresh in-memory API server on HTTPS (with Cluster API's fixture CRDs, not ours: the session applies those),
/// its kubeconfig in a private directory, and the cluster template rendered with the documented variables.
/// </summary>
internal sealed class ServerSession : IAsyncDisposable
{
    private ServerSession(InMemoryKubeApiServer server, string directory)
    {
        Server = server;
        Directory = directory;
        Kubeconfig = Path.Combine(directory, "kubeconfig");
        server.WriteKubeConfig(Kubeconfig);
    }

    public InMemoryKubeApiServer Server { get; }

    public string Directory { get; }

    public string Kubeconfig { get; }

    public static async Task<ServerSession> StartAsync(bool withOurCrds = false)
    {
        var options = new InMemoryKubeApiServerOptions { Https = true };
        if (withOurCrds)
        {
            foreach (var file in System.IO.Directory.GetFiles(Repository.Path("packaging/crds"), "*.yaml"))
            {
                options.CrdFiles.Add(file);
            }
        }

        var directory = Path.Combine(Path.GetTempPath(), "kubeapiserver-tests-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        return new ServerSession(await InMemoryKubeApiServer.StartAsync(options), directory);
    }

    /// <summary>Writes a file into the session directory and returns its path.</summary>
    public string File(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public static string RenderedTemplate(string template = "cluster-template.yaml") =>
        TemplateVariables.Substitute(System.IO.File.ReadAllText(Repository.Path("packaging/clusterctl/" + template)), TemplateVariables.Documented);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
