using System.Diagnostics.Metrics;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>API request counts and latency (meter <c>ImmutableInfra.Kubernetes</c>), tagged by HTTP method.</summary>
internal static class KubeClientMetrics
{
    private static readonly Meter Meter = new("ImmutableInfra.Kubernetes");

    public static Counter<long> Requests { get; } =
        Meter.CreateCounter<long>("immutableinfra.kubernetes.requests", description: "Requests sent to the API server, by method (writes are POST, PUT, PATCH, DELETE).");

    public static Histogram<double> Duration { get; } =
        Meter.CreateHistogram<double>("immutableinfra.kubernetes.request.duration", unit: "s", description: "Time until the API server's response headers, by method.");
}
