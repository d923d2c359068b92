using System.Net;
using ImmutableInfra.Coordinator.AgentApi;
using ImmutableInfra.Coordinator.Caching;
using ImmutableInfra.Coordinator.ControlPlaneVip;
using ImmutableInfra.Coordinator.Controllers;
using ImmutableInfra.Coordinator.Hosts;
using ImmutableInfra.Coordinator.Observability;
using ImmutableInfra.Grpc.Server;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.Kubernetes.LeaderElection;
using ImmutableInfra.Kubernetes.Objects;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace ImmutableInfra.Coordinator.Hosting;

/// <summary>
/// One coordinator replica: watch caches, the agent API (every replica), the controllers (the leader
/// only, or every replica without leader election), its replica Lease, and /metrics, /healthz, /readyz.
/// </summary>
internal sealed partial class CoordinatorServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _background = [];
    private readonly List<(ControllerLoop Loop, int Concurrency)> _loops = [];
    private readonly Lock _leadership = new();
    private readonly KubeClient _api;
    private readonly KubeClient _leaseApi;
    private readonly ILogger _logger;
    private readonly ReplicaMetrics _metrics = new("ImmutableInfra.");
    private FleetGauges? _fleet;
    private CancellationTokenSource? _leading;
    private Task _controllers = Task.CompletedTask;
    private GrpcServer? _grpc;
    private WebApplication? _http;
    private AgentApiService? _agentApi;
    private volatile bool _ready;

    private CoordinatorServer(KubeConnectionSettings settings, CoordinatorOptions options, ILoggerFactory loggers, TimeProvider time)
    {
        Options = options;
        Loggers = loggers;
        Time = time;
        _logger = loggers.CreateLogger<CoordinatorServer>();
        _api = new KubeClient(settings, ApiClientOptions(options), loggers, time);
        // Leases renew on a client of their own: a starved renewal under API load would cost leadership.
        _leaseApi = new KubeClient(settings, new KubeClientOptions(), loggers, time);
        Caches = new ResourceCaches(_api, options.Namespace);
        Streams = new AgentStreamRegistry();
        Writer = new HostStatusWriter(Caches, time);
        Events = new EventRecorder(Caches.Events, options.ReplicaId, time, loggers.CreateLogger<EventRecorder>());
    }

    public CoordinatorOptions Options { get; }

    /// <summary>True while the controllers' client is not rate limited because the API server reports Priority and Fairness.</summary>
    public bool DeferringToServerFlowControl => _api.DeferringToServerFlowControl;

    public ILoggerFactory Loggers { get; }

    public TimeProvider Time { get; }

    public ResourceCaches Caches { get; }

    public AgentStreamRegistry Streams { get; }

    public HostStatusWriter Writer { get; }

    public EventRecorder Events { get; }

    /// <summary>The agent API's address (real port when 0 was asked for).</summary>
    public Uri AgentApiAddress => _grpc!.Addresses[0];

    /// <summary>The /metrics and health address.</summary>
    public Uri HttpAddress { get; private set; } = new("http://127.0.0.1");

    public bool IsLeader
    {
        get
        {
            lock (_leadership)
            {
                return _leading is not null;
            }
        }
    }

    /// <summary>Starts every part; returns once caches are synced and both listeners are bound.</summary>
    public static async Task<CoordinatorServer> StartAsync(
        KubeConnectionSettings settings, CoordinatorOptions options, ILoggerFactory loggers, TimeProvider? time = null, CancellationToken ct = default)
    {
        options.Validate();
        var server = new CoordinatorServer(settings, options, loggers, time ?? TimeProvider.System);
        try
        {
            await server.StartPartsAsync(ct).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Completes when the replica stops (or one of its loops fails for good).</summary>
    public Task Completion => Task.WhenAll(_background);

    public async ValueTask DisposeAsync()
    {
        _ready = false;
        await _stop.CancelAsync().ConfigureAwait(false);
        StopLeading();
        if (_grpc is not null)
        {
            await _grpc.DisposeAsync().ConfigureAwait(false);
        }

        if (_http is not null)
        {
            await _http.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(_background.Append(_controllers)).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }

        foreach (var (loop, _) in _loops)
        {
            loop.Dispose();
        }

        _agentApi?.Dispose();
        _fleet?.Dispose();
        _metrics.Dispose();
        _api.Dispose();
        _leaseApi.Dispose();
        _stop.Dispose();
    }

    private async Task StartPartsAsync(CancellationToken ct)
    {
        var stop = _stop.Token;
        if (Options.RunControllers)
        {
            // Handlers go on before the caches fill, so the first list enqueues every object.
            var liveness = new HostLiveness(Caches, Options.OfflineGracePeriod, Time);
            var hosts = new MachineInventoryController(Caches, Writer, liveness, Events, Time);
            var pools = new MachineInventoryPoolController(Caches, Events, Time);
            var clusters = new BaremetalClusterController(Caches, new VipRoleAssigner(Caches, Writer), Events, Time);
            var machines = new BaremetalMachineController(Caches, Writer, Events, Time);
            AddLoop(MachineInventoryController.Name, hosts.ReconcileAsync, hosts.Watch, Options.ReconcileConcurrency);
            AddLoop(MachineInventoryPoolController.Name, pools.ReconcileAsync, pools.Watch, 1);
            AddLoop(BaremetalClusterController.Name, clusters.ReconcileAsync, clusters.Watch, 1);
            AddLoop(BaremetalMachineController.Name, machines.ReconcileAsync, machines.Watch, Options.ReconcileConcurrency);
        }

        _fleet = new FleetGauges(Caches, () => IsLeader);
        _agentApi = new AgentApiService(Caches, Writer, Streams, Events, Options, Time, Loggers.CreateLogger<AgentApiService>());
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, stop);
        _background.Add(await Caches.StartAsync(Loggers, stop).WaitAsync(linked.Token).ConfigureAwait(false));
        _background.Add(Events.RunAsync(stop));
        var replicaLease = new ReplicaLeases(_leaseApi.Resource(KubeResources.Leases), Options.Namespace, Options.ReplicaId, Options.ReplicaLeaseDuration, Time,
            Loggers.CreateLogger<ReplicaLeases>());
        _background.Add(replicaLease.RunAsync(stop));

        var grpcOptions = new GrpcServerOptions { MaxConcurrentStreams = 1000, ShutdownTimeout = TimeSpan.FromSeconds(2), TimeProvider = Time };
        grpcOptions.Endpoints.Add(new GrpcEndpointOptions
        {
            EndPoint = Options.AgentApiEndpoint,
            AllowInsecure = Options.Insecure,
            CertificatePemPath = Options.Insecure ? null : Options.TlsCertificateFile,
            PrivateKeyPemPath = Options.Insecure ? null : Options.TlsPrivateKeyFile,
        });
        _grpc = await GrpcServer.StartAsync(grpcOptions, [_agentApi.BindService()], Loggers, linked.Token).ConfigureAwait(false);
        await StartHttpAsync(linked.Token).ConfigureAwait(false);

        if (!Options.RunControllers)
        {
        }
        else if (Options.LeaderElect)
        {
            var elector = new LeaseLeaderElector(_leaseApi.Resource(KubeResources.Leases), new LeaderElectionOptions
            {
                LeaseNamespace = Options.Namespace,
                LeaseName = "immutableinfra-coordinator",
                Identity = Options.ReplicaId,
            }, Time, Loggers.CreateLogger<LeaseLeaderElector>());
            elector.StartedLeading += (_, _) => StartLeading();
            elector.StoppedLeading += (_, _) => StopLeading();
            _background.Add(elector.RunAsync(stop));
        }
        else
        {
            StartLeading();
        }

        _ready = true;
        Started(_logger, Options.ReplicaId, AgentApiAddress, HttpAddress);
    }

    private static KubeClientOptions ApiClientOptions(CoordinatorOptions options) => new()
    {
        Qps = options.ApiRateLimit == ApiRateLimit.Off ? 0 : options.ApiQps,
        Burst = options.ApiBurst,
        DeferToServerFlowControl = options.ApiRateLimit == ApiRateLimit.Auto,
    };

    private void AddLoop(string name, Func<string, CancellationToken, Task<Kubernetes.Queue.WorkResult>> reconcile, Action<ControllerLoop> watch, int concurrency)
    {
        var loop = new ControllerLoop(name, reconcile, Time, Loggers.CreateLogger(name));
        watch(loop);
        _loops.Add((loop, concurrency));
    }

    private void StartLeading()
    {
        lock (_leadership)
        {
            if (_leading is not null || _stop.IsCancellationRequested)
            {
                return;
            }

            _leading = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var token = _leading.Token;
            _controllers = Task.WhenAll(_loops.Select(l => l.Loop.RunAsync(l.Concurrency, token)));
            Leading(_logger, Options.ReplicaId);
        }
    }

    private void StopLeading()
    {
        lock (_leadership)
        {
            if (_leading is null)
            {
                return;
            }

            // Workers stop taking keys; the queues keep collecting them for the next term.
            _leading.Cancel();
            _leading.Dispose();
            _leading = null;
        }
    }

    private async Task StartHttpAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "immutableinfra-coordinator" });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(Options.HttpEndpoint));
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(2));
        var app = builder.Build();
        app.MapMetrics("/metrics", _metrics.Registry);
        app.MapGet("/healthz", () => _background.Any(t => t.IsFaulted) ? Results.Text("a loop failed\n", statusCode: 500) : Results.Text("ok\n"));
        app.MapGet("/readyz", () => _ready && Caches.HostCache.HasSynced ? Results.Text("ok\n") : Results.Text("not ready\n", statusCode: 503));
        await app.StartAsync(ct).ConfigureAwait(false);
        _http = app;
        var address = app.Urls.FirstOrDefault() ?? $"http://{Options.HttpEndpoint}";
        HttpAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    [LoggerMessage(EventId = 5401, Level = LogLevel.Information, Message = "Coordinator replica {Replica} serving agents on {AgentApi}, metrics on {Http}")]
    private static partial void Started(ILogger logger, string replica, Uri agentApi, Uri http);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Information, Message = "Replica {Replica} leads: controllers running")]
    private static partial void Leading(ILogger logger, string replica);
}
