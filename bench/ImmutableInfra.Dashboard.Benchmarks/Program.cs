using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ImmutableInfra.Dashboard;
using ImmutableInfra.KubeApiServer;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.Dashboard.Benchmarks;

/// <summary>
/// The hosts page's server-side time (its Server-Timing header: filter, sort, page and render) and the request's
/// time on loopback, at a baseline fleet and at the full fleet in the same run, for a set of typical queries.
/// Usage: bench/dashboard-hosts-page.sh [--hosts N (10000)] [--baseline-hosts B (100)] [--runs R (50)].
/// </summary>
internal static class Program
{
    private const string Group = "infrastructure.cluster.x-k8s.io";
    private const string Ns = "fleet";
    private static readonly string[] States = ["Available", "Claimed", "Provisioning", "Provisioned", "Deprovisioning", "Offline", "Failed"];

    private static readonly string[] Queries =
    [
        "/hosts",
        "/hosts?state=Failed",
        "/hosts?labels=rack+in+(r1,r2)&q=host-0",
        "/hosts?sort=memory&dir=desc&size=200",
        "/hosts?sort=lastseen&page=200",
        "/pools",
    ];

    private static async Task<int> Main(string[] args)
    {
        var hosts = Arg(args, "--hosts", 10_000);
        var baseline = Arg(args, "--baseline-hosts", 100);
        var runs = Arg(args, "--runs", 50);
        if (hosts < baseline || baseline < 1 || runs < 5)
        {
            await Console.Error.WriteLineAsync("error: need --hosts >= --baseline-hosts >= 1 and --runs >= 5");
            return 2;
        }

        var dir = Directory.CreateTempSubdirectory("dashboard-bench-").FullName;
        try
        {
            var options = new InMemoryKubeApiServerOptions();
            foreach (var crd in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "crds"), "*.yaml"))
            {
                options.CrdFiles.Add(crd);
            }

            await using var server = await InMemoryKubeApiServer.StartAsync(options);
            var kubeconfig = Path.Combine(dir, "kubeconfig");
            server.WriteKubeConfig(kubeconfig, token: "bench");
            using var admin = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            await admin.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } });
            await admin.CustomObjects.CreateNamespacedCustomObjectAsync(Pool(), Group, "v1beta1", Ns, "machineinventorypools");

            await using var dashboard = await DashboardHost.StartAsync(new DashboardOptions { Port = 0, Kubeconfig = kubeconfig }, NullLoggerFactory.Instance, CancellationToken.None);
            using var http = new HttpClient { BaseAddress = dashboard.Url, Timeout = TimeSpan.FromSeconds(30) };

            await SeedAsync(admin, 0, baseline);
            await WaitForAsync(dashboard, baseline);
            var small = await MeasureAsync(http, runs);
            var seeding = Stopwatch.StartNew();
            await SeedAsync(admin, baseline, hosts);
            await WaitForAsync(dashboard, hosts);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {hosts} hosts (create + status) in {seeding.Elapsed.TotalSeconds:0.0} s; {runs} sequential requests per query"));
            var large = await MeasureAsync(http, runs);

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"query",-42} {"server p50",10} {"p95",8} {"max",8} {"request p50",12} {"p95",8} {$"p50@{baseline}",10} {"ratio",7}"));
            foreach (var query in Queries)
            {
                var (server50, server95, serverMax, request50, request95) = large[query];
                var ratio = server50 / Math.Max(small[query].ServerP50, 0.01);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{query,-42} {server50,8:0.0}ms {server95,6:0.0}ms {serverMax,6:0.0}ms {request50,10:0.0}ms {request95,6:0.0}ms {small[query].ServerP50,8:0.0}ms {ratio,6:0.0}x"));
            }

            var worst = Queries.Max(q => large[q].ServerP95);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worst server-side p95 at {hosts} hosts: {worst:0.0} ms (goal < 300 ms): {(worst < 300 ? "met" : "NOT met")}"));
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<Dictionary<string, (double ServerP50, double ServerP95, double ServerMax, double RequestP50, double RequestP95)>> MeasureAsync(HttpClient http, int runs)
    {
        var results = new Dictionary<string, (double, double, double, double, double)>();
        // Warm every query first (JIT tiering, connection, caches), so the first query measured is not penalised.
        foreach (var query in Queries)
        {
            for (var i = 0; i < 20; i++)
            {
                using var warm = await http.GetAsync(query);
                _ = await warm.Content.ReadAsByteArrayAsync();
            }
        }

        foreach (var query in Queries)
        {
            var server = new List<double>();
            var request = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(query);
                _ = await response.Content.ReadAsByteArrayAsync();
                var total = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                response.EnsureSuccessStatusCode();
                var timing = response.Headers.GetValues("Server-Timing").Single();
                server.Add(double.Parse(timing[(timing.IndexOf("dur=", StringComparison.Ordinal) + 4)..], CultureInfo.InvariantCulture));
                request.Add(total);
            }

            server.Sort();
            request.Sort();
            results[query] = (Percentile(server, 0.5), Percentile(server, 0.95), server[^1], Percentile(request, 0.5), Percentile(request, 0.95));
        }

        return results;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task SeedAsync(k8s.Kubernetes admin, int from, int to) =>
        await Parallel.ForAsync(from, to, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var name = $"host-{i:D5}";
            await admin.CustomObjects.CreateNamespacedCustomObjectAsync(Host(name, i), Group, "v1beta1", Ns, "machineinventories", cancellationToken: ct);
            var patch = new JsonObject { ["status"] = Status(name, i) }.ToJsonString();
            await admin.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch), Group, "v1beta1", Ns, "machineinventories", name, cancellationToken: ct);
        });

    private static async Task WaitForAsync(DashboardHost dashboard, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(5);
        while (dashboard.Store.Hosts.Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the dashboard saw {dashboard.Store.Hosts.Count} of {count} hosts");
            }

            await Task.Delay(100);
        }

        // The status writes follow the creates: measure once the dashboard has applied them all (no change for 1 s).
        for (var version = -1L; version != dashboard.Store.Version;)
        {
            version = dashboard.Store.Version;
            await Task.Delay(1000);
        }
    }

    private static JsonObject Pool() => new()
    {
        ["apiVersion"] = Group + "/v1beta1",
        ["kind"] = "MachineInventoryPool",
        ["metadata"] = new JsonObject { ["name"] = "workers", ["namespace"] = Ns },
    };

    private static JsonObject Host(string name, int i) => new()
    {
        ["apiVersion"] = Group + "/v1beta1",
        ["kind"] = "MachineInventory",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns, ["labels"] = new JsonObject { ["rack"] = $"r{i % 4}" } },
        ["spec"] = new JsonObject { ["poolRef"] = new JsonObject { ["name"] = "workers" } },
    };

    private static JsonObject Status(string name, int i) => new()
    {
        ["state"] = States[i % States.Length],
        ["hostname"] = name,
        ["addresses"] = new JsonArray($"198.18.{i / 250}.{(i % 250) + 1}/16"),
        ["agentVersion"] = "0.1.0",
        ["lastSeen"] = DateTimeOffset.UnixEpoch.AddSeconds(1_767_225_600 + i).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        ["inventory"] = new JsonObject
        {
            ["cpu"] = new JsonObject { ["cores"] = 8 + (i % 3 * 8), ["threads"] = 16 + (i % 3 * 16) },
            ["memory"] = new JsonObject { ["totalBytes"] = (64L + (i % 5 * 64)) << 30 },
            ["disks"] = new JsonArray(
                new JsonObject { ["name"] = "nvme0n1", ["sizeBytes"] = 1_920_383_410_176L, ["transport"] = "nvme", ["holdsOS"] = true },
                new JsonObject { ["name"] = "sda", ["sizeBytes"] = 8_001_563_222_016L, ["transport"] = "sata", ["rotational"] = true }),
        },
        ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "AgentConnected" }),
    };

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }
}
