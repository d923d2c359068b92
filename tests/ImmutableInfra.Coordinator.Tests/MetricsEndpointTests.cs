using System.Diagnostics;
using System.Text.Json;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Lab;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.Coordinator.Tests;

/// <summary>
/// /metrics of a running coordinator, read by a parser we did not write (Debian's python3-prometheus-client): every
/// metric operators and the benchmarks read has its name, type and labels.
/// </summary>
public sealed class MetricsEndpointTests
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    // prometheus_client names a counter family without "_total" and its sample with it; histograms by their base name.
    // Heartbeats, rejections and dropped events have no series until the first one (none in this run).
    private static readonly (string Family, string Type, string[] Labels)[] Expected =
    [
        ("immutableinfra_agent_api_registrations", "counter", []),
        ("immutableinfra_agent_api_open_streams", "gauge", []),
        ("immutableinfra_controller_reconciles", "counter", ["controller", "result"]),
        ("immutableinfra_controller_queue_depth", "gauge", ["controller"]),
        ("immutableinfra_machine_claim_duration_seconds", "histogram", []),
        ("immutableinfra_machine_bootstrap_duration_seconds", "histogram", []),
        ("immutableinfra_machine_creation_to_delivery_duration_seconds", "histogram", []),
        ("immutableinfra_hosts", "gauge", ["namespace", "pool", "state"]),
        ("immutableinfra_vip_vrrp_state", "gauge", ["arbiter", "cluster", "host", "state"]),
        ("immutableinfra_vip_lease_transitions", "gauge", ["cluster", "holder"]),
        ("immutableinfra_vip_last_failover_timestamp_seconds", "gauge", ["cluster"]),
        ("immutableinfra_kubernetes_requests", "counter", ["method"]),
        ("immutableinfra_kubernetes_request_duration_seconds", "histogram", ["method"]),
        ("immutableinfra_kubernetes_watch_relists", "counter", ["resource"]),
        ("immutableinfra_kubernetes_watch_requests", "counter", ["resource"]),
    ];

    [Fact]
    public async Task Metrics_ParseWithPrometheusClient_WithTheirNamesTypesAndLabels()
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: apt-get install -y python3-prometheus-client");
        await using var lab = await LabEnvironment.StartAsync(new LabOptions { Hosts = 2, KubeadmTime = TimeSpan.FromMilliseconds(50), Timeout = Settle },
            NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        await lab.StartHostsAsync(0, 2, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await lab.HostsAsync(CancellationToken.None)).Count(h => h.Status?.State == HostState.Available) == 2,
            Settle, "both hosts Available", CancellationToken.None);
        var capi = new ClusterApiSimulator(lab.Api, LabEnvironment.Namespace, "metrics");
        await capi.CreateClusterAsync(CancellationToken.None);
        await capi.CreateMachineAsync("metrics-cp-0", controlPlane: true, firstControlPlane: true, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await lab.HostsAsync(CancellationToken.None)).Any(h => h.Status?.State == HostState.Provisioned && h.Status.Vip is not null),
            Settle, "a control plane provisioned and reporting its VIP state", CancellationToken.None);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var leader = lab.Coordinators.Single(c => c.IsLeader);
        List<Family> families = [];
        string? contentType = null;
        // The leader's gauges read its watch caches, which follow the API server a moment later.
        await Eventually.TrueAsync(async () =>
        {
            using var response = await http.GetAsync(new Uri(leader.HttpAddress, "/metrics"));
            contentType = response.Content.Headers.ContentType?.ToString();
            families = await ParseAsync(await response.Content.ReadAsStringAsync());
            return families.Any(f => f.Name == "immutableinfra_vip_vrrp_state" && f.Samples.Count == 1)
                && families.Any(f => f.Name == "immutableinfra_hosts" && f.Samples.Count(s => s.Value == 1) == 2);
        }, Settle, "the control plane's VIP state and both hosts in /metrics", CancellationToken.None);

        Assert.StartsWith("text/plain; version=0.0.4", contentType, StringComparison.Ordinal);
        foreach (var (family, type, labels) in Expected)
        {
            var parsed = families.SingleOrDefault(f => f.Name == family);
            Assert.True(parsed is not null, $"{family} is not in /metrics: {string.Join(", ", families.Select(f => $"{f.Name} ({f.Type})"))}");
            Assert.Equal((family, type), (parsed.Name, parsed.Type));
            Assert.All(parsed.Samples, s => Assert.Equal(
                (s.Name.EndsWith("_bucket", StringComparison.Ordinal) ? ["le", .. labels] : labels).Order(StringComparer.Ordinal),
                s.Labels.Keys.Order(StringComparer.Ordinal)));
            var suffixes = type switch
            {
                "counter" => new[] { "_total" },
                "histogram" => ["_bucket", "_sum", "_count"],
                _ => [string.Empty],
            };
            Assert.All(parsed.Samples, s => Assert.Contains(s.Name, suffixes.Select(x => family + x)));
        }

        // Values where the run fixes them: both hosts Available, then one claimed and provisioned.
        var hosts = families.Single(f => f.Name == "immutableinfra_hosts").Samples;
        Assert.Equal(1, hosts.Single(s => s.Labels["state"] == "Provisioned").Value);
        Assert.Equal(1, hosts.Single(s => s.Labels["state"] == "Available").Value);
        Assert.Equal(["lab"], hosts.Select(s => s.Labels["namespace"]).Distinct());
        Assert.True(families.Single(f => f.Name == "immutableinfra_agent_api_registrations").Samples.Single().Value >= 2);
        var claims = families.Single(f => f.Name == "immutableinfra_machine_claim_duration_seconds").Samples;
        Assert.True(claims.Single(s => s.Name.EndsWith("_count", StringComparison.Ordinal)).Value >= 1);
        var buckets = claims.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).ToList();
        Assert.Contains(buckets, b => b.Labels["le"] == "+Inf");
        Assert.True(buckets.Count > 10, "histograms have buckets");
        Assert.Contains(families.Single(f => f.Name == "immutableinfra_kubernetes_requests").Samples, s => s.Labels["method"] == "GET" && s.Value > 0);
        var vrrp = Assert.Single(families.Single(f => f.Name == "immutableinfra_vip_vrrp_state").Samples);
        Assert.Equal("lab/metrics", vrrp.Labels["cluster"]);
    }

    private sealed record Sample(string Name, Dictionary<string, string> Labels, double Value);

    private sealed record Family(string Name, string Type, List<Sample> Samples);

    private static async Task<List<Family>> ParseAsync(string exposition)
    {
        const string script = """
            import json, math, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = [{"Name": f.name, "Type": f.type, "Samples": [{"Name": s.name, "Labels": s.labels, "Value": s.value if math.isfinite(s.value) else 0}
                    for s in f.samples]} for f in text_string_to_metric_families(sys.stdin.read())]
            print(json.dumps(out))
            """;
        var start = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var errors = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"prometheus_client refused the exposition: {await errors}\n{exposition}");
        return JsonSerializer.Deserialize<List<Family>>(await output)!;
    }
}
