using System.Globalization;

namespace ImmutableInfra.Coordinator.Benchmarks;

/// <summary>The few series the benchmark reads from the coordinator's /metrics (Prometheus text format).</summary>
internal sealed class MetricsText(string text)
{
    private static readonly string[] WriteMethods = ["POST", "PUT", "PATCH", "DELETE"];

    /// <summary>API requests the coordinator sent, by method (immutableinfra.kubernetes.requests).</summary>
    public double Requests(string method) => Sum("immutableinfra_kubernetes_requests_total", $"method=\"{method}\"");

    public double Writes => WriteMethods.Sum(Requests);

    public double Reads => Requests("GET");

    /// <summary>Controller reconciles ending in <paramref name="result"/> (ok, conflict, error), all controllers.</summary>
    public double Reconciles(string result) => Sum("immutableinfra_controller_reconciles_total", $"result=\"{result}\"");

    public double Heartbeats => Sum("immutableinfra_agent_api_heartbeats_total", null);

    /// <summary>Cumulative bucket counts of the creation-to-delivery histogram, by upper bound.</summary>
    public IReadOnlyList<(double UpperBound, double Count)> CreationToDeliveryBuckets()
    {
        const string prefix = "immutableinfra_machine_creation_to_delivery_duration_seconds_bucket{";
        var buckets = new List<(double, double)>();
        foreach (var line in Lines().Where(l => l.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var le = line[(line.IndexOf("le=\"", StringComparison.Ordinal) + 4)..];
            le = le[..le.IndexOf('"', StringComparison.Ordinal)];
            var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            buckets.Add((bound, Value(line)));
        }

        return [.. buckets.OrderBy(b => b.Item1)];
    }

    /// <summary>The smallest bucket bound holding the quantile: what a Prometheus user would read off the histogram.</summary>
    public static double BucketQuantile(IReadOnlyList<(double UpperBound, double Count)> before, IReadOnlyList<(double UpperBound, double Count)> after, double quantile)
    {
        var counts = after.Select(a => (a.UpperBound, Count: a.Count - (before.FirstOrDefault(b => b.UpperBound == a.UpperBound).Count))).ToList();
        var total = counts.Count == 0 ? 0 : counts[^1].Count;
        if (total <= 0)
        {
            return double.NaN;
        }

        return counts.First(c => c.Count >= quantile * total).UpperBound;
    }

    private double Sum(string name, string? label) =>
        Lines().Where(l => l.StartsWith(name, StringComparison.Ordinal) && (label is null || l.Contains(label, StringComparison.Ordinal)))
            .Sum(Value);

    private IEnumerable<string> Lines() => text.Split('\n').Where(l => l.Length > 0 && l[0] != '#');

    private static double Value(string line) =>
        double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
}
