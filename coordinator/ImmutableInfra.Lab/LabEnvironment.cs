using System.Net;
using System.Text;
using ImmutableInfra.Agent.Simulation;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.AgentApi;
using ImmutableInfra.Coordinator.Hosting;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.KubeApiServer;
using ImmutableInfra.Kubernetes.Objects;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Lab;

/// <summary>
/// A management cluster on one machine: the in-memory API server with our CRDs and Cluster API's,
/// coordinator replicas, a pool, and simulated hosts enrolled into it. Everything talks over real
/// HTTP and gRPC on loopback. Disposing stops hosts, replicas and the server, and deletes host trees.
/// </summary>
internal sealed class LabEnvironment : IAsyncDisposable
{
    public const string Namespace = "lab";
    public const string PoolName = "hosts";
    public const string CoordinatorNamespace = "immutableinfra-system";

    /// <summary>The replicas' bearer token, so the server's access log tells their calls from the simulator's.</summary>
    public const string CoordinatorToken = "immutableinfra-coordinator";

    private readonly List<CoordinatorServer> _coordinators = [];
    private readonly List<SimulatedHost> _hosts = [];
    private readonly string _workDir = Path.Combine(Path.GetTempPath(), "immutableinfra-lab-" + Guid.NewGuid().ToString("N")[..8]);

    private LabEnvironment(InMemoryKubeApiServer server, KubeClient api, ILoggerFactory loggers, LabOptions options)
    {
        Server = server;
        Api = api;
        Loggers = loggers;
        Options = options;
    }

    public InMemoryKubeApiServer Server { get; }

    /// <summary>The simulator's own client (Cluster API controllers, the operator).</summary>
    public KubeClient Api { get; }

    public ILoggerFactory Loggers { get; }

    public LabOptions Options { get; }

    public IReadOnlyList<CoordinatorServer> Coordinators => _coordinators;

    public IReadOnlyList<SimulatedHost> Hosts => _hosts;

    public string? PoolToken { get; private set; }

    public static async Task<LabEnvironment> StartAsync(LabOptions options, ILoggerFactory loggers, CancellationToken ct)
    {
        // Kept labs are explored with kubectl: HTTPS on a fixed port, as a real API server is reached.
        var serverOptions = new InMemoryKubeApiServerOptions { Https = options.Keep, Port = options.Keep ? options.ApiPort : 0 };
        var server = await InMemoryKubeApiServer.StartAsync(serverOptions, loggers, cancellationToken: ct).ConfigureAwait(false);
        var assembly = typeof(LabEnvironment).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".yaml", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            server.RegisterCrds(await reader.ReadToEndAsync(ct).ConfigureAwait(false));
        }

        var api = new KubeClient(server.ConnectionSettings(), new KubeClientOptions(), loggers);
        var lab = new LabEnvironment(server, api, loggers, options);
        foreach (var ns in new[] { Namespace, CoordinatorNamespace })
        {
            await api.Resource(KubeResources.Namespaces).CreateAsync(new KubeNamespace
            {
                ApiVersion = "v1", Kind = "Namespace", Metadata = new ObjectMeta { Name = ns },
            }, ct).ConfigureAwait(false);
        }

        for (var i = 0; i < options.Coordinators; i++)
        {
            await lab.StartCoordinatorAsync(ct).ConfigureAwait(false);
        }

        return lab;
    }

    /// <summary>Starts one more coordinator replica (agents fail over between replicas by reconnecting).</summary>
    public async Task<CoordinatorServer> StartCoordinatorAsync(CancellationToken ct, int agentPort = 0)
    {
        var coordinator = await CoordinatorServer.StartAsync(Server.ConnectionSettings(CoordinatorToken), Options.Coordinator(new CoordinatorOptions
        {
            Namespace = CoordinatorNamespace,
            ReplicaId = $"lab-{Guid.NewGuid().ToString("N")[..6]}",
            AgentApiEndpoint = new IPEndPoint(IPAddress.Loopback, agentPort),
            HttpEndpoint = new IPEndPoint(IPAddress.Loopback, 0),
            Insecure = true,
            LeaderElect = Options.LeaderElect,
            OfflineGracePeriod = Options.OfflineGracePeriod,
            ReplicaLeaseDuration = TimeSpan.FromSeconds(5),
            AgentHeartbeatInterval = TimeSpan.FromSeconds(30),
            // One machine, replicas restarted in seconds (tests stop them on purpose): agents come back quickly.
            AgentMaxReconnectBackoff = TimeSpan.FromSeconds(5),
            RegistrationsPerSecond = 1000,
            RegistrationBurst = 2000,
            // Every simulated host dials from 127.0.0.1.
            RegistrationsPerSecondPerSource = 1000,
            RegistrationBurstPerSource = 2000,
            ApiQps = 2000,
            ApiBurst = 4000,
        }), Loggers, ct: ct).ConfigureAwait(false);
        _coordinators.Add(coordinator);
        return coordinator;
    }

    /// <summary>Stops a replica as a crash would end its streams (it is not replaced here).</summary>
    public async Task StopCoordinatorAsync(CoordinatorServer coordinator)
    {
        _coordinators.Remove(coordinator);
        await coordinator.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Stops every replica gracefully (leader Lease released, replica Leases deleted).</summary>
    public async Task StopCoordinatorsAsync()
    {
        while (_coordinators.Count > 0)
        {
            await StopCoordinatorAsync(_coordinators[^1]).ConfigureAwait(false);
        }
    }

    /// <summary>Creates the pool (auto-approve) and waits for the coordinator to create its token Secret.</summary>
    public async Task CreatePoolAsync(CancellationToken ct) => PoolToken = await CreatePoolAsync(PoolName, autoApprove: true, ct).ConfigureAwait(false);

    /// <summary>Creates a pool in the lab's namespace and returns its registration token once the coordinator made it.</summary>
    public async Task<string> CreatePoolAsync(string name, bool autoApprove, CancellationToken ct)
    {
        await Api.Resource(InfrastructureResources.MachineInventoryPools).CreateAsync(new MachineInventoryPool
        {
            ApiVersion = InfrastructureResources.MachineInventoryPools.ApiVersion,
            Kind = InfrastructureResources.MachineInventoryPools.Kind,
            Metadata = new ObjectMeta { Name = name, Namespace = Namespace },
            Spec = new MachineInventoryPoolSpec
            {
                Registration = new PoolRegistration { AutoApprove = autoApprove },
                Defaults = new PoolDefaults { WipePolicy = WipePolicy.Metadata, Labels = new() { ["lab.immutableinfra.io/pool"] = name } },
            },
        }, ct).ConfigureAwait(false);
        var secrets = Api.Resource(KubeResources.Secrets);
        return await Eventually.ValueAsync(async () =>
        {
            try
            {
                var secret = await secrets.GetAsync(Namespace, name + "-registration", ct).ConfigureAwait(false);
                return Encoding.UTF8.GetString(secret.Data![PoolTokens.DefaultKey]);
            }
            catch (KubeNotFoundException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(30), "the pool's registration token Secret", ct).ConfigureAwait(false);
    }

    /// <summary>Starts hosts with indexes [from, from+count), a few at a time, each talking to a replica round robin.</summary>
    public async Task StartHostsAsync(int from, int count, CancellationToken ct)
    {
        var batch = new List<Task<SimulatedHost>>();
        for (var i = from; i < from + count; i++)
        {
            var coordinator = _coordinators[i % _coordinators.Count];
            var options = new SimulatedHostOptions(coordinator.AgentApiAddress, $"{Namespace}/{PoolName}", PoolToken!)
            {
                KubeadmTime = Options.KubeadmTime,
                HeartbeatInterval = TimeSpan.FromSeconds(30),
            };
            batch.Add(SimulatedHost.StartAsync(i, options, Path.Combine(_workDir, SimulatedHost.HostName(i)), Loggers, ct));
            if (batch.Count == 64)
            {
                _hosts.AddRange(await Task.WhenAll(batch).ConfigureAwait(false));
                batch.Clear();
            }
        }

        _hosts.AddRange(await Task.WhenAll(batch).ConfigureAwait(false));
    }

    /// <summary>Starts host <paramref name="index"/> again from the state its stopped agent left (a reboot).</summary>
    public async Task RestartHostAsync(int index, CancellationToken ct)
    {
        var old = _hosts.Single(h => h.Index == index);
        await old.StopAsync().ConfigureAwait(false);
        var options = new SimulatedHostOptions(_coordinators[index % _coordinators.Count].AgentApiAddress, $"{Namespace}/{PoolName}", PoolToken!)
        {
            KubeadmTime = Options.KubeadmTime,
            HeartbeatInterval = TimeSpan.FromSeconds(30),
        };
        var restarted = await SimulatedHost.StartAsync(index, options, Path.Combine(_workDir, SimulatedHost.HostName(index)), Loggers, ct).ConfigureAwait(false);
        _hosts[_hosts.IndexOf(old)] = restarted;
        await old.DisposeAsync().ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<MachineInventory>> HostsAsync(CancellationToken ct) =>
        (await Api.Resource(InfrastructureResources.MachineInventories).ListAsync(Namespace, null, ct).ConfigureAwait(false)).Items;

    public async Task<IReadOnlyList<BaremetalMachine>> MachinesAsync(CancellationToken ct) =>
        (await Api.Resource(InfrastructureResources.BaremetalMachines).ListAsync(Namespace, null, ct).ConfigureAwait(false)).Items;

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_hosts.Select(h => h.DisposeAsync().AsTask())).ConfigureAwait(false);
        foreach (var coordinator in _coordinators)
        {
            await coordinator.DisposeAsync().ConfigureAwait(false);
        }

        Api.Dispose();
        await Server.DisposeAsync().ConfigureAwait(false);
        if (Directory.Exists(_workDir))
        {
            Directory.Delete(_workDir, recursive: true);
        }
    }
}

/// <summary>The lab's shape and timing.</summary>
internal sealed record LabOptions
{
    public int Hosts { get; init; } = 8;

    public int ControlPlanes { get; init; } = 3;

    public int Workers { get; init; } = 2;

    public int Coordinators { get; init; } = 1;

    public bool LeaderElect { get; init; } = true;

    public TimeSpan KubeadmTime { get; init; } = TimeSpan.FromMilliseconds(300);

    public TimeSpan OfflineGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Delete the cluster at the end and wait until every host is Available again (exercises reset).</summary>
    public bool Teardown { get; init; } = true;

    /// <summary>After the run, stay up (API server, replicas, hosts) for kubectl until Ctrl-C or SIGTERM; implies no teardown.</summary>
    public bool Keep { get; init; }

    /// <summary>The API server's port when kept.</summary>
    public int ApiPort { get; init; } = 6443;

    /// <summary>Where a kept lab writes its kubeconfig.</summary>
    public string KubeconfigPath { get; init; } = Path.Combine(Path.GetTempPath(), "immutableinfra-lab", "kubeconfig");

    /// <summary>Changes to the replicas' options (tests that need other limits or addresses).</summary>
    public Func<CoordinatorOptions, CoordinatorOptions> Coordinator { get; init; } = options => options;

    public void Validate()
    {
        if (ControlPlanes < 1 || Workers < 0 || Coordinators < 1)
        {
            throw new ArgumentException("--control-planes must be >= 1, --workers >= 0, --coordinators >= 1");
        }

        if (ApiPort is < 1 or > 65535)
        {
            throw new ArgumentException("--api-port must be 1-65535");
        }

        if (Hosts < ControlPlanes + Workers)
        {
            throw new ArgumentException($"--hosts {Hosts} is fewer than the {ControlPlanes + Workers} machines the cluster needs");
        }
    }
}

/// <summary>Our client's connection to the lab's in-memory server (the server knows nothing of our client).</summary>
internal static class InMemoryConnection
{
    public static KubeConnectionSettings ConnectionSettings(this InMemoryKubeApiServer server, string? token = null) => new()
    {
        Server = server.Url,
        CertificateAuthorityPem = server.CertificateAuthorityPem,
        Token = token,
        Namespace = "default",
    };
}

/// <summary>Bounded polling for the lab and its tests.</summary>
internal static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, CancellationToken ct)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe().ConfigureAwait(false) is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}");
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }
    }

    public static Task TrueAsync(Func<Task<bool>> probe, TimeSpan timeout, string what, CancellationToken ct) =>
        ValueAsync<object>(async () => await probe().ConfigureAwait(false) ? new object() : null, timeout, what, ct);
}
