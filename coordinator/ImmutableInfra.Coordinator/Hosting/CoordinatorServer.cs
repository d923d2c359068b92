using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Coordinator.AgentApi;
using ImmutableInfra.Coordinator.AgentApi.Interceptors;
using ImmutableInfra.Coordinator.Caching;
using ImmutableInfra.Coordinator.ControlPlaneVip;
using ImmutableInfra.Coordinator.Controllers;
using ImmutableInfra.Coordinator.Hosts;
using ImmutableInfra.Coordinator.Observability;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.Kubernetes.LeaderElection;
using ImmutableInfra.Kubernetes.Objects;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace ImmutableInfra.Coordinator.Hosting;

/// <summary>
/// One coordinator replica: watch caches, the agent API (every replica), the controllers (the leader
/// only, or every replica without leader election), its replica Lease, and /metrics, /healthz, /readyz.
/// One WebApplication serves the agent API (gRPC over HTTP/2, TLS unless insecure, with the standard health and
/// reflection services) and, on a port of its own, metrics and health; stopping it is graceful (see <see cref="StopAsync"/>).
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
    private readonly HealthServiceImpl _health = new();
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _web;
    private ListenOptions? _agentListener;
    private ListenOptions? _httpListener;
    private AgentApiService? _agentApi;
    private volatile bool _ready;
    private int _stopping;

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
    public Uri AgentApiAddress { get; private set; } = new("http://127.0.0.1");

    /// <summary>The /metrics and health address.</summary>
    public Uri HttpAddress { get; private set; } = new("http://127.0.0.1");

    /// <summary>Completes when the host was asked to stop (SIGTERM or SIGINT, with <see cref="CoordinatorOptions.StopOnSignals"/>).</summary>
    public Task StopRequested => _stopRequested.Task;

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

    /// <summary>
    /// Stops gracefully, once: not ready (/readyz 503, gRPC health NOT_SERVING) at once, no new Sync streams and the
    /// open ones ended with UNAVAILABLE (their agents reconnect to another replica), the controllers stopped; after
    /// <see cref="CoordinatorOptions.ShutdownDelay"/> the listeners close, other calls get
    /// <see cref="AgentApiLimits.DrainTimeout"/> to finish, and both Leases are released.
    /// </summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 1)
        {
            return;
        }

        _ready = false;
        _health.SetStatus(string.Empty, HealthCheckResponse.Types.ServingStatus.NotServing);
        _health.SetStatus(AgentService.Descriptor.FullName, HealthCheckResponse.Types.ServingStatus.NotServing);
        Stopping(_logger, Options.ReplicaId, Streams.Count);
        Streams.EndAll();
        StopLeading();
        if (Options.ShutdownDelay > TimeSpan.Zero)
        {
            await Task.Delay(Options.ShutdownDelay, Time).ConfigureAwait(false);
        }

        if (_web is not null)
        {
            using var drain = new CancellationTokenSource(Options.AgentApiLimits.DrainTimeout, Time);
            await _web.StopAsync(drain.Token).ConfigureAwait(false);
        }

        // The leader elector and the replica Lease release their Leases when their loops are cancelled.
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_background.Append(_controllers)).WaitAsync(TimeSpan.FromSeconds(10), Time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
        }

        Stopped(_logger, Options.ReplicaId);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_web is not null)
        {
            await _web.DisposeAsync().ConfigureAwait(false);
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

        await StartWebAsync(linked.Token).ConfigureAwait(false);

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
        _health.SetStatus(string.Empty, HealthCheckResponse.Types.ServingStatus.Serving);
        _health.SetStatus(AgentService.Descriptor.FullName, HealthCheckResponse.Types.ServingStatus.Serving);
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

    private async Task StartWebAsync(CancellationToken ct)
    {
        var limits = Options.AgentApiLimits;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "immutableinfra-coordinator" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(Loggers);
        if (!Options.StopOnSignals)
        {
            // Replicas hosted in another program (the lab, tests) leave SIGTERM and SIGINT to it.
            builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        }

        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = limits.DrainTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = limits.MaxConcurrentConnections;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyBytesPerSecond, limits.MinRequestBodyGracePeriod);
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
            kestrel.Limits.Http2.MaxStreamsPerConnection = limits.MaxStreamsPerConnection;
            kestrel.Limits.Http2.KeepAlivePingDelay = limits.KeepAlivePingDelay;
            kestrel.Limits.Http2.KeepAlivePingTimeout = limits.KeepAlivePingTimeout;
            kestrel.Listen(Options.AgentApiEndpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (!Options.Insecure)
                {
                    listen.UseHttps(X509Certificate2.CreateFromPemFile(Options.TlsCertificateFile!, Options.TlsPrivateKeyFile));
                }

                _agentListener = listen;
            });
            kestrel.Listen(Options.HttpEndpoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                _httpListener = listen;
            });
        });
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = limits.MaxReceiveMessageBytes;
            grpc.MaxSendMessageSize = limits.MaxSendMessageBytes;
            grpc.EnableDetailedErrors = false;
        }).AddServiceOptions<AgentApiService>(service =>
        {
            // Outermost first: telemetry sees every refusal, the first-message bound covers the hello's scope check.
            service.Interceptors.Add<CallTelemetryInterceptor>();
            service.Interceptors.Add<FirstMessageDeadlineInterceptor>();
            service.Interceptors.Add<AgentCredentialInterceptor>();
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddSingleton(_agentApi!);
        builder.Services.AddSingleton(_health);
        builder.Services.AddSingleton(Caches);
        builder.Services.AddSingleton(limits);
        builder.Services.AddSingleton(Time);
        builder.Services.AddSingleton<CallTelemetryInterceptor>();
        builder.Services.AddSingleton<FirstMessageDeadlineInterceptor>();
        builder.Services.AddSingleton<AgentCredentialInterceptor>();

        var app = builder.Build();
        app.Lifetime.ApplicationStopping.Register(() => _stopRequested.TrySetResult());
        // Each listener serves only its own part: health and metrics never on the agent port, gRPC never on the HTTP port.
        app.Use((context, next) =>
        {
            var plain = context.Request.Path.Value is "/metrics" or "/healthz" or "/readyz";
            if (plain != (context.Connection.LocalPort == HttpAddress.Port))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.Use(UnaryDeadlineMiddleware.Create(limits));
        app.MapGrpcService<AgentApiService>();
        app.MapGrpcService<HealthServiceImpl>();
        app.MapGrpcReflectionService();
        MapMetricsAndHealth(app);
        await app.StartAsync(ct).ConfigureAwait(false);
        _web = app;
        AgentApiAddress = LocalUri(Options.Insecure ? "http" : "https", _agentListener!.IPEndPoint!);
        HttpAddress = LocalUri("http", _httpListener!.IPEndPoint!);
    }

    private void MapMetricsAndHealth(WebApplication app)
    {
        app.MapMetrics("/metrics", _metrics.Registry);
        app.MapGet("/healthz", () => _background.Any(t => t.IsFaulted) ? Results.Text("a loop failed\n", statusCode: 500) : Results.Text("ok\n"));
        app.MapGet("/readyz", () => _ready && Caches.HostCache.HasSynced ? Results.Text("ok\n") : Results.Text("not ready\n", statusCode: 503));
    }

    // A wildcard listen address is reachable on loopback; callers in this process and tests dial that.
    private static Uri LocalUri(string scheme, IPEndPoint endpoint)
    {
        var address = endpoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback
            : endpoint.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : endpoint.Address;
        return new Uri($"{scheme}://{new IPEndPoint(address, endpoint.Port)}");
    }

    [LoggerMessage(EventId = 5401, Level = LogLevel.Information, Message = "Coordinator replica {Replica} serving agents on {AgentApi}, metrics on {Http}")]
    private static partial void Started(ILogger logger, string replica, Uri agentApi, Uri http);

    [LoggerMessage(EventId = 5402, Level = LogLevel.Information, Message = "Replica {Replica} leads: controllers running")]
    private static partial void Leading(ILogger logger, string replica);

    [LoggerMessage(EventId = 5403, Level = LogLevel.Information, Message = "Replica {Replica} stopping: not ready, ending {Streams} Sync streams, releasing its Leases")]
    private static partial void Stopping(ILogger logger, string replica, int streams);

    [LoggerMessage(EventId = 5404, Level = LogLevel.Information, Message = "Replica {Replica} stopped")]
    private static partial void Stopped(ILogger logger, string replica);

    /// <summary>A host lifetime that leaves process signals alone.</summary>
    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
