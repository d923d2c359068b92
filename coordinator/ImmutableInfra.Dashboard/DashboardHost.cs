using System.Text.Json;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Dashboard.Fleet;
using ImmutableInfra.Dashboard.Kube;
using ImmutableInfra.Dashboard.Web;
using k8s;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Dashboard;

/// <summary>
/// One running dashboard: the watches that keep the store current, the token-age reader and the web server.
/// Start it with <see cref="StartAsync"/>; disposing it stops everything.
/// </summary>
public sealed class DashboardHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly IKubernetes _client;
    private readonly DashboardServer _server;
    private Task _loops = Task.CompletedTask;

    private DashboardHost(IKubernetes client, FleetStore store, DashboardServer server)
    {
        _client = client;
        Store = store;
        _server = server;
    }

    /// <summary>Where the dashboard answers, e.g. http://127.0.0.1:8765/.</summary>
    public Uri Url => _server.Url;

    internal FleetStore Store { get; }

    /// <summary>Loads the kubeconfig (as kubectl would: --kubeconfig, else $KUBECONFIG, else ~/.kube/config) and starts.</summary>
    public static Task<DashboardHost> StartAsync(DashboardOptions options, ILoggerFactory loggers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig, options.Context);
        config.HttpClientTimeout = options.RequestTimeout;
        return StartAsync(new k8s.Kubernetes(config), options, loggers, TimeProvider.System, ct);
    }

    internal static async Task<DashboardHost> StartAsync(IKubernetes client, DashboardOptions options, ILoggerFactory loggers, TimeProvider time, CancellationToken ct)
    {
        options.Validate();
        var store = new FleetStore(options, time);
        var server = await DashboardServer.StartAsync(store, options, loggers, ct).ConfigureAwait(false);
        var host = new DashboardHost(client, store, server);
        host._loops = host.RunLoops(options, loggers);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _server.DisposeAsync().ConfigureAwait(false);
        _client.Dispose();
        _stop.Dispose();
    }

    private Task RunLoops(DashboardOptions options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger("ImmutableInfra.Dashboard.Watch");
        var ct = _stop.Token;
        Task Watch(string plural, IWatchSink<JsonElement> sink) =>
            new ListWatch<JsonElement>(new CustomObjectSource(_client, ApiGroup.Group, ApiGroup.Version, plural), sink, Store.Health, options, logger).RunAsync(ct);

        return Task.WhenAll(
            Watch("machineinventorypools", Store.PoolSink()),
            Watch("machineinventories", Store.HostSink()),
            Watch("baremetalmachines", Store.MachineSink()),
            Watch("baremetalclusters", Store.ClusterSink()),
            new ListWatch<k8s.Models.Corev1Event>(new EventListSource(_client), Store.EventSink(), Store.Health, options, logger).RunAsync(ct),
            new TokenAgeReader(_client, Store, options, loggers.CreateLogger<TokenAgeReader>()).RunAsync(ct));
    }
}
