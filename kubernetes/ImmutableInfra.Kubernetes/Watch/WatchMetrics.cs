using System.Diagnostics.Metrics;

namespace ImmutableInfra.Kubernetes.Watch;

/// <summary>Counters of the list+watch loops (meter <c>ImmutableInfra.Kubernetes</c>), tagged by resource.</summary>
internal static class WatchMetrics
{
    private static readonly Meter Meter = new("ImmutableInfra.Kubernetes");

    public static Counter<long> InvalidLines { get; } =
        Meter.CreateCounter<long>("immutableinfra.kubernetes.watch.invalid_lines", description: "Watch lines that were not valid events (the watch restarted).");

    public static Counter<long> Relists { get; } =
        Meter.CreateCounter<long>("immutableinfra.kubernetes.watch.relists", description: "Full lists, at start-up and after 410 Gone.");

    public static Counter<long> Restarts { get; } =
        Meter.CreateCounter<long>("immutableinfra.kubernetes.watch.requests", description: "Watch requests opened (each resumes from the last resourceVersion).");
}
