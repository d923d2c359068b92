using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.Dashboard.Tests.Support;

/// <summary>
/// The in-memory API server with our CRDs behind <see cref="ApiProxy"/>, an admin client (the official one) that
/// seeds it directly, and a dashboard reading through the proxy as a user would through their kubeconfig.
/// </summary>
internal sealed class ApiLab : IAsyncDisposable
{
    public const string Group = "infrastructure.cluster.x-k8s.io";
    public const string Version = "v1beta1";

    private readonly string _dir = Directory.CreateTempSubdirectory("dashboard-lab-").FullName;
    private InMemoryKubeApiServer? _server;
    private int _port;

    private ApiLab(ApiProxy proxy)
    {
        Proxy = proxy;
    }

    public ApiProxy Proxy { get; }

    /// <summary>Writes go straight to the server, not through the proxy, so a forbidden kind can still be seeded.</summary>
    public IKubernetes Admin { get; private set; } = null!;

    public DashboardHost Dashboard { get; private set; } = null!;

    /// <summary>A client of the dashboard (not of the API server).</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>Starts everything; <paramref name="forbidden"/> resources answer 403 from the dashboard's first request on.</summary>
    public static async Task<ApiLab> StartAsync(Action<DashboardOptions>? configure = null, params string[] forbidden)
    {
        var lab = new ApiLab(await ApiProxy.StartAsync());
        lab.Proxy.Forbidden.UnionWith(forbidden);
        await lab.StartServerAsync();
        var kubeconfig = Path.Combine(lab._dir, "viewer.kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: lab
              cluster:
                server: {lab.Proxy.Url}
            users:
            - name: viewer
              user: {"{"}token: viewer-token{"}"}
            contexts:
            - name: lab
              context: {"{"}cluster: lab, user: viewer{"}"}
            current-context: lab
            """);
        var options = new DashboardOptions
        {
            Port = 0,
            Kubeconfig = kubeconfig,
            InitialBackoff = TimeSpan.FromMilliseconds(100),
            MaxBackoff = TimeSpan.FromMilliseconds(800),
            ForbiddenRetry = TimeSpan.FromSeconds(2),
            TokenRefresh = TimeSpan.FromSeconds(1),
            LiveInterval = TimeSpan.FromMilliseconds(100),
        };
        configure?.Invoke(options);
        lab.Dashboard = await DashboardHost.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
        lab.Http = new HttpClient { BaseAddress = lab.Dashboard.Url, Timeout = TimeSpan.FromSeconds(20) };
        return lab;
    }

    /// <summary>Stops the API server: the proxy answers 502, as a gateway to a server that went away.</summary>
    public async Task StopServerAsync()
    {
        Proxy.Target(null, null);
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }

        Admin?.Dispose();
    }

    /// <summary>Starts an API server (again on the same port after a stop; its objects are then new and empty).</summary>
    public async Task StartServerAsync()
    {
        var options = new InMemoryKubeApiServerOptions { Https = true, Port = _port };
        foreach (var crd in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "crds"), "*.yaml"))
        {
            options.CrdFiles.Add(crd);
        }

        _server = await InMemoryKubeApiServer.StartAsync(options);
        _port = _server.Url.Port;
        var admin = Path.Combine(_dir, "admin.kubeconfig");
        _server.WriteKubeConfig(admin, token: "admin-token");
        Admin = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(admin));
        Proxy.Target(_server.Url, _server.CertificateAuthorityPem!);
    }

    public async Task CreateAsync(string plural, JsonObject item)
    {
        var ns = item["metadata"]!["namespace"]!.GetValue<string>();
        var status = item["status"]?.DeepClone();
        await Admin.CustomObjects.CreateNamespacedCustomObjectAsync(item, Group, Version, ns, plural);
        if (status is not null)
        {
            await SetStatusAsync(plural, ns, item["metadata"]!["name"]!.GetValue<string>(), status.AsObject());
        }
    }

    public Task SetStatusAsync(string plural, string ns, string name, JsonObject status) =>
        Admin.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(new JsonObject { ["status"] = status.DeepClone() }.ToJsonString(), V1Patch.PatchType.MergePatch), Group, Version, ns, plural, name);

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (Dashboard is not null)
        {
            await Dashboard.DisposeAsync();
        }

        await StopServerAsync();
        await Proxy.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
