using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Grpc.Net.Client;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Kubernetes.Cache;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.KubeApiServer;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Kubernetes.Watch;
using ImmutableInfra.Lab;

namespace ImmutableInfra.Coordinator.Benchmarks;

/// <summary>
/// Coordinator scale: the real coordinator (its own process) against the in-memory API server and N
/// lightweight simulated agents, in four phases, each bounded: enrollment (all N hosts Available),
/// steady state (coordinator CPU and RSS, API writes/s), M machines created at once (creation to
/// bootstrap data delivered, p50/p99/max, next to the coordinator's own histogram), and teardown
/// (all hosts Available again). Usage: see bench/coordinator-scale.sh.
/// </summary>
internal static class Program
{
    private const string Namespace = "scale";
    private const string CoordinatorNamespace = "immutableinfra-system";
    private const string ClusterName = "scale";

    private static async Task<int> Main(string[] args)
    {
        ScaleOptions options;
        try
        {
            options = ScaleOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);
        try
        {
            await RunAsync(options, stop.Token);
            return 0;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"FAILED: {e.Message}");
            return 1;
        }

        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static async Task RunAsync(ScaleOptions options, CancellationToken ct)
    {
        var dll = options.CoordinatorDll ?? DefaultCoordinatorDll();
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"no coordinator build at {dll}; run: dotnet build -c Release coordinator/ImmutableInfra.Coordinator");
        }

        var work = Directory.CreateTempSubdirectory("immutableinfra-scale-");
        try
        {
            await using var server = await InMemoryKubeApiServer.StartAsync(new InMemoryKubeApiServerOptions
            {
                // Room for every event of a 10,000-host run, so no watcher is ever sent back to relist by compaction.
                CompactionWindow = 1_000_000,
            }, cancellationToken: ct);
            foreach (var crd in LabCrds())
            {
                server.RegisterCrds(crd);
            }

            using var api = new KubeClient(server.ConnectionSettings(), new KubeClientOptions { RequestTimeout = TimeSpan.FromMinutes(2) });
            foreach (var ns in new[] { Namespace, CoordinatorNamespace })
            {
                await api.Resource(KubeResources.Namespaces).CreateAsync(new KubeNamespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new ObjectMeta { Name = ns } }, ct);
            }

            var kubeconfig = Path.Combine(work.FullName, "kubeconfig");
            server.WriteKubeConfig(kubeconfig);
            var logFile = Path.Combine(work.FullName, "coordinator.log");
            Console.WriteLine($"Coordinator scale: {options.Hosts} hosts, {options.Machines} machines at once, steady window {options.SteadyWindow.TotalSeconds:0} s, " +
                $"{options.EffectiveConnections} agent connections, {Environment.ProcessorCount} cores");
            // As deployed: the Deployment's environment first (later NAME=VALUE pairs win), then the caller's.
            IReadOnlyList<string> environment = [.. options.DeploymentManifest is { } manifest ? DeploymentEnvironment.Read(manifest) : [], .. options.CoordinatorEnvironment];
            Console.WriteLine($"coordinator environment: {(environment.Count == 0 ? "(none)" : string.Join(' ', environment))}");
            await using var coordinator = await CoordinatorProcess.StartAsync(dll, kubeconfig, logFile, options.CoordinatorArgs, environment, TimeSpan.FromSeconds(60), ct);
            if (options.PidFile is { } pidFile)
            {
                await File.WriteAllTextAsync(pidFile, coordinator.Pid.ToString(CultureInfo.InvariantCulture), ct);
            }

            Console.WriteLine($"coordinator pid {coordinator.Pid}, agent API {coordinator.AgentApiAddress}, log {logFile}");
            try
            {
                await new ScaleRun(options, server, api, coordinator).RunAsync(ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("last 20 lines of the coordinator log:");
                foreach (var line in File.ReadLines(logFile).TakeLast(20))
                {
                    await Console.Error.WriteLineAsync("  " + line);
                }

                throw;
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static IEnumerable<string> LabCrds()
    {
        var assembly = typeof(ClusterApiSimulator).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".yaml", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            yield return reader.ReadToEnd();
        }
    }

    private static string DefaultCoordinatorDll()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ImmutableInfra.sln")))
        {
            dir = dir.Parent;
        }

        return dir is null
            ? "immutableinfra-coordinator.dll"
            : Path.Combine(dir.FullName, "coordinator", "ImmutableInfra.Coordinator", "bin", "Release", "net10.0", "immutableinfra-coordinator.dll");
    }

    /// <summary>One run's phases against one coordinator.</summary>
    private sealed class ScaleRun(ScaleOptions options, InMemoryKubeApiServer server, KubeClient api, CoordinatorProcess coordinator)
    {
        private readonly FleetRecorder _recorder = new();
        private readonly WatchCache<MachineInventory> _hosts = new();
        private readonly List<Task> _streams = [];
        private List<SimulatedAgent> _agents = [];

        public async Task RunAsync(CancellationToken ct)
        {
            using var runCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var watcher = new ListWatcher<MachineInventory>(api.Resource(InfrastructureResources.MachineInventories), _hosts, new ListWatcherOptions { Namespace = Namespace });
            var watching = watcher.RunAsync(runCts.Token);
            var channels = Enumerable.Range(0, options.EffectiveConnections)
                .Select(_ => GrpcChannel.ForAddress(coordinator.AgentApiAddress, new GrpcChannelOptions
                {
                    // Past the coordinator's streams per connection, the handler opens another connection.
                    HttpHandler = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30), EnableMultipleHttp2Connections = true },
                    DisposeHttpClient = true,
                }))
                .ToList();
            try
            {
                var token = await CreatePoolAsync(ct);
                var simulator = new ClusterApiSimulator(api, Namespace, ClusterName);
                await simulator.CreateClusterAsync(ct);
                await _hosts.WaitForSyncAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

                var clients = channels.Select(c => new AgentService.AgentServiceClient(c)).ToList();
                var agents = _agents = Enumerable.Range(0, options.Hosts)
                    .Select(i => new SimulatedAgent(i, clients[i % clients.Count], $"{Namespace}/{LabEnvironment.PoolName}", token, options.BootstrapTime, _recorder))
                    .ToList();
                await EnrollAsync(agents, runCts.Token, ct);
                if (options.WarmupMachines > 0)
                {
                    // One small round first, so the measured round runs JIT-optimised code, as a coordinator that has
                    // provisioned machines before would (the same rule as the other benchmarks: the second run is reported).
                    var warmup = MachineNames("warmup", options.WarmupMachines);
                    await CreateMachinesAsync(simulator, warmup, "warm-up: ", ct);
                    await TeardownAsync(simulator, warmup, "warm-up ", ct);
                }

                await SteadyStateAsync(ct);
                if (options.Machines > 0)
                {
                    var workers = MachineNames("worker", options.Machines);
                    await CreateMachinesAsync(simulator, workers, string.Empty, ct);
                    if (options.Teardown)
                    {
                        await TeardownAsync(simulator, workers, string.Empty, ct);
                    }
                }

                var self = ProcessSample.Read(Environment.ProcessId);
                var end = coordinator.Sample();
                Console.WriteLine($"end: coordinator RSS {Mib(end.RssBytes)}, peak {Mib(end.PeakRssBytes)}; benchmark process (API server, agents, watch) RSS {Mib(self.RssBytes)}, peak {Mib(self.PeakRssBytes)}; " +
                    $"agent failures {_recorder.Failures}, reconnects {_recorder.Reconnects}");
                if (_recorder.Failures > 0)
                {
                    Console.WriteLine($"last agent failure: {_recorder.LastFailure}");
                }
            }
            finally
            {
                await runCts.CancelAsync();
                await Task.WhenAll(_streams).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                await watching.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                channels.ForEach(c => c.Dispose());
                _agents.ForEach(a => a.Dispose());
            }
        }

        private async Task<string> CreatePoolAsync(CancellationToken ct)
        {
            await api.Resource(InfrastructureResources.MachineInventoryPools).CreateAsync(new MachineInventoryPool
            {
                ApiVersion = InfrastructureResources.MachineInventoryPools.ApiVersion,
                Kind = InfrastructureResources.MachineInventoryPools.Kind,
                Metadata = new ObjectMeta { Name = LabEnvironment.PoolName, Namespace = Namespace },
                Spec = new MachineInventoryPoolSpec
                {
                    Registration = new PoolRegistration { AutoApprove = true },
                    Defaults = new PoolDefaults { WipePolicy = Api.V1Beta1.WipePolicy.Metadata },
                },
            }, ct);
            var secrets = api.Resource(KubeResources.Secrets);
            string? token = null;
            await Until(async () =>
            {
                try
                {
                    var secret = await secrets.GetAsync(Namespace, LabEnvironment.PoolName + "-registration", ct);
                    token = Encoding.UTF8.GetString(secret.Data!["token"]);
                    return true;
                }
                catch (KubeNotFoundException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(30), "the pool's registration token Secret", ct);
            return token!;
        }

        private async Task EnrollAsync(List<SimulatedAgent> agents, CancellationToken streamsToken, CancellationToken ct)
        {
            var clock = Stopwatch.StartNew();
            TimeSpan? allRegistered = null;
            using var slots = new SemaphoreSlim(options.RegistrationConcurrency);
            var registrations = agents.Select(async agent =>
            {
                await slots.WaitAsync(ct);
                try
                {
                    await agent.RegisterAsync(ct);
                }
                finally
                {
                    slots.Release();
                }

                lock (_streams)
                {
                    _streams.Add(Task.Run(() => agent.SyncAsync(streamsToken), CancellationToken.None));
                }
            }).ToList();
            var registered = Task.WhenAll(registrations);
            await Until(() =>
            {
                if (registered.IsFaulted)
                {
                    throw new InvalidOperationException("a registration failed: " + registered.Exception!.InnerException!.Message);
                }

                if (registered.IsCompleted)
                {
                    allRegistered ??= clock.Elapsed;
                }

                return Task.FromResult(registered.IsCompleted && AvailableHosts() == options.Hosts);
            }, options.EnrollmentTimeout, $"{options.Hosts} hosts Available (have {AvailableHosts()}, registered {_recorder.Registered})", ct, ProgressEvery(clock));
            var sample = coordinator.Sample();
            Console.WriteLine($"enrollment: {options.Hosts} hosts registered in {allRegistered!.Value.TotalSeconds:0.0} s, all Available in {clock.Elapsed.TotalSeconds:0.0} s " +
                $"({options.Hosts / clock.Elapsed.TotalSeconds:0} hosts/s; {_recorder.RegistrationRetries} registrations retried after RESOURCE_EXHAUSTED/UNAVAILABLE); " +
                $"coordinator RSS {Mib(sample.RssBytes)}, peak {Mib(sample.PeakRssBytes)}, CPU {sample.CpuTime.TotalSeconds:0.0} s so far");
        }

        private async Task SteadyStateAsync(CancellationToken ct)
        {
            await Task.Delay(options.Settle, ct);
            var metrics0 = await coordinator.MetricsAsync(ct);
            var sample0 = coordinator.Sample();
            var version0 = server.ResourceVersion;
            var reconnects0 = _recorder.Reconnects;
            var clock = Stopwatch.StartNew();
            long rssMax = 0, rssSum = 0, samples = 0;
            while (clock.Elapsed < options.SteadyWindow)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
                var s = coordinator.Sample();
                rssMax = Math.Max(rssMax, s.RssBytes);
                rssSum += s.RssBytes;
                samples++;
            }

            var metrics1 = await coordinator.MetricsAsync(ct);
            var sample1 = coordinator.Sample();
            var seconds = clock.Elapsed.TotalSeconds;
            var cpu = (sample1.CpuTime - sample0.CpuTime).TotalSeconds / seconds;
            var writes = (metrics1.Writes - metrics0.Writes) / seconds;
            var allWrites = (server.ResourceVersion - version0) / seconds;
            Console.WriteLine($"steady state ({seconds:0} s, {options.Hosts} streams open: {_recorder.StreamsOpen}): coordinator CPU {cpu * 100:0.0} % of one core, " +
                $"RSS {Mib(rssSum / Math.Max(1, samples))} mean / {Mib(rssMax)} max (peak since start {Mib(sample1.PeakRssBytes)}); " +
                $"API writes {writes:0.00}/s by the coordinator (PUT {Per(metrics0, metrics1, "PUT", seconds)}, POST {Per(metrics0, metrics1, "POST", seconds)}, " +
                $"PATCH {Per(metrics0, metrics1, "PATCH", seconds)}, DELETE {Per(metrics0, metrics1, "DELETE", seconds)}), {allWrites:0.00}/s committed by the API server; " +
                $"reads {(metrics1.Reads - metrics0.Reads) / seconds:0.00}/s; heartbeats {(metrics1.Heartbeats - metrics0.Heartbeats) / seconds:0}/s; " +
                $"stream reconnects {_recorder.Reconnects - reconnects0}");
        }

        private async Task CreateMachinesAsync(ClusterApiSimulator simulator, List<string> names, string label, CancellationToken ct)
        {
            var metrics0 = await coordinator.MetricsAsync(ct);
            var sample0 = coordinator.Sample();
            var version0 = server.ResourceVersion;
            var startedAt = new long[names.Count];
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(names.Select(async (name, i) =>
            {
                await Task.Yield();
                startedAt[i] = Stopwatch.GetTimestamp();
                await simulator.CreateMachineAsync(name, controlPlane: false, firstControlPlane: false, ct);
            }));
            var created = clock.Elapsed;
            var progress = ProgressEvery(clock);
            int Delivered() => names.Count(n => _recorder.DeliveredAt.ContainsKey($"{Namespace}/{n}"));
            await Until(() => Task.FromResult(Delivered() == names.Count), options.PhaseTimeout,
                $"bootstrap data delivered to {names.Count} hosts (have {Delivered()})", ct, progress);
            var delivered = clock.Elapsed;
            var latencies = names.Select((name, i) => Stopwatch.GetElapsedTime(startedAt[i], _recorder.DeliveredAt[$"{Namespace}/{name}"]).TotalSeconds).Order().ToList();
            var machines = api.Resource(InfrastructureResources.BaremetalMachines);
            await Until(async () => (await machines.ListAsync(Namespace, null, ct)).Items.Count(m => m.Status?.Ready == true) == names.Count,
                options.PhaseTimeout, $"{names.Count} BaremetalMachines Ready", ct, progress);
            var ready = clock.Elapsed;
            var metrics1 = await coordinator.MetricsAsync(ct);
            var sample1 = coordinator.Sample();
            var buckets0 = metrics0.CreationToDeliveryBuckets();
            var buckets1 = metrics1.CreationToDeliveryBuckets();
            Console.WriteLine($"{label}{names.Count} machines created at once (Secret, Machine, BaremetalMachine each; all created in {created.TotalSeconds:0.00} s): " +
                $"creation to bootstrap data delivered p50 {Ms(Quantile(latencies, 0.5))}, p99 {Ms(Quantile(latencies, 0.99))}, max {Ms(latencies[^1])}; " +
                $"all delivered at {delivered.TotalSeconds:0.00} s, all Ready at {ready.TotalSeconds:0.00} s; " +
                $"coordinator histogram p50 <= {MetricsText.BucketQuantile(buckets0, buckets1, 0.5):0.###} s, p99 <= {MetricsText.BucketQuantile(buckets0, buckets1, 0.99):0.###} s (bucket bounds; creationTimestamp has whole seconds); " +
                $"coordinator API writes {metrics1.Writes - metrics0.Writes:0} ({(metrics1.Writes - metrics0.Writes) / names.Count:0.0} per machine), CPU {(sample1.CpuTime - sample0.CpuTime).TotalSeconds:0.0} s, " +
                $"RSS {Mib(sample1.RssBytes)}; bootstrap fetch retries {_recorder.FetchRetries}");
            Console.WriteLine($"  reconciles ok {metrics1.Reconciles("ok") - metrics0.Reconciles("ok"):0}, conflict {metrics1.Reconciles("conflict") - metrics0.Reconciles("conflict"):0}, " +
                $"error {metrics1.Reconciles("error") - metrics0.Reconciles("error"):0}; GETs {metrics1.Reads - metrics0.Reads:0}; committed writes in namespace {Namespace}: " +
                await WriteTally.DescribeAsync(api, Namespace, version0, server.ResourceVersion, ct));
        }

        private async Task TeardownAsync(ClusterApiSimulator simulator, List<string> names, string label, CancellationToken ct)
        {
            var version0 = server.ResourceVersion;
            var metrics0 = await coordinator.MetricsAsync(ct);
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(names.Select(name => simulator.DeleteMachineAsync(name, ct)));
            var machines = api.Resource(InfrastructureResources.BaremetalMachines);
            await Until(async () => AvailableHosts() == options.Hosts && (await machines.ListAsync(Namespace, null, ct)).Items.Count == 0,
                options.PhaseTimeout, $"all {options.Hosts} hosts Available again and no BaremetalMachine left (Available {AvailableHosts()})", ct, ProgressEvery(clock));
            var elapsed = clock.Elapsed;
            var metrics1 = await coordinator.MetricsAsync(ct);
            Console.WriteLine($"{label}teardown: {names.Count} machines deleted, hosts reset and all {options.Hosts} Available again in {elapsed.TotalSeconds:0.00} s; " +
                $"coordinator API writes {metrics1.Writes - metrics0.Writes:0}; committed writes: {await WriteTally.DescribeAsync(api, Namespace, version0, server.ResourceVersion, ct)}");
        }

        private static List<string> MachineNames(string prefix, int count) =>
            [.. Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{i:D5}"))];

        private int AvailableHosts() => _hosts.List().Count(h => h.Status?.State == HostState.Available);

        private Action ProgressEvery(Stopwatch clock)
        {
            var next = TimeSpan.FromSeconds(10);
            return () =>
            {
                if (clock.Elapsed >= next)
                {
                    next += TimeSpan.FromSeconds(10);
                    var s = coordinator.Sample();
                    Console.WriteLine($"  ... {clock.Elapsed.TotalSeconds:0} s: registered {_recorder.Registered}, Available {AvailableHosts()}, streams {_recorder.StreamsOpen}, " +
                        $"delivered {_recorder.DeliveredAt.Count}, coordinator RSS {Mib(s.RssBytes)} CPU {s.CpuTime.TotalSeconds:0.0} s");
                }
            };
        }

        private static string Per(MetricsText before, MetricsText after, string method, double seconds) =>
            ((after.Requests(method) - before.Requests(method)) / seconds).ToString("0.00", CultureInfo.InvariantCulture);
    }

    private static async Task Until(Func<Task<bool>> probe, TimeSpan timeout, string what, CancellationToken ct, Action? progress = null)
    {
        var clock = Stopwatch.StartNew();
        while (!await probe())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}");
            }

            progress?.Invoke();
            await Task.Delay(100, ct);
        }
    }

    private static double Quantile(IReadOnlyList<double> sorted, double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];

    private static string Ms(double seconds) => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:0} ms");

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0} MiB");
}
