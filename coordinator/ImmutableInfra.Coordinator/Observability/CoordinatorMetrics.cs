using System.Diagnostics.Metrics;
using System.Reflection;

namespace ImmutableInfra.Coordinator.Observability;

/// <summary>The coordinator's instruments (meter <c>ImmutableInfra.Coordinator</c>); /metrics serves them in the Prometheus format.</summary>
internal static class CoordinatorMetrics
{
    public const string MeterName = "ImmutableInfra.Coordinator";

    public static readonly Meter Meter = new(MeterName);

    // VERSION+commit, as Directory.Build.props and SourceLink stamp every assembly of one build.
    private static readonly string[] Build =
        (typeof(CoordinatorMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown").Split('+', 2);

    /// <summary>Always 1; the release version and the commit it was built from are its labels.</summary>
    public static ObservableGauge<int> BuildInfo { get; } = Meter.CreateObservableGauge("immutableinfra.build_info",
        () => new Measurement<int>(1, new KeyValuePair<string, object?>("version", Build[0]), new KeyValuePair<string, object?>("revision", Build.Length > 1 ? Build[1] : "unknown")),
        description: "The running build: version and revision labels, value 1.");

    public static Counter<long> Registrations { get; } = Meter.CreateCounter<long>("immutableinfra.agent_api.registrations", description: "Successful host registrations.");

    public static Counter<long> AgentApiRejections { get; } = Meter.CreateCounter<long>("immutableinfra.agent_api.rejections", description: "Agent calls refused, by reason.");

    public static Counter<long> IdentityRefusals { get; } = Meter.CreateCounter<long>("immutableinfra.agent_api.identity_refusals",
        description: "Registrations refused by the identity rules (contradiction, duplicate, waiting for an operator, denied), by reason.");

    public static Counter<long> Rekeys { get; } = Meter.CreateCounter<long>("immutableinfra.agent_api.rekeys", description: "Existing host records given a new credential, by grounds.");

    public static Counter<long> CoalescedReports { get; } = Meter.CreateCounter<long>("immutableinfra.agent_api.coalesced_reports",
        description: "Agent reports folded into a later write by the per-host write budget.");

    public static Counter<long> Heartbeats { get; } = Meter.CreateCounter<long>("immutableinfra.agent_api.heartbeats", description: "Heartbeats received (they cost no API write).");

    public static UpDownCounter<long> OpenStreams { get; } = Meter.CreateUpDownCounter<long>("immutableinfra.agent_api.open_streams", description: "Sync streams open on this replica.");

    public static Counter<long> EventsDropped { get; } = Meter.CreateCounter<long>("immutableinfra.events.dropped", description: "Kubernetes Events not recorded because the send queue was full.");

    public static Counter<long> Reconciles { get; } = Meter.CreateCounter<long>("immutableinfra.controller.reconciles", description: "Reconciles, by controller and result.");

    public static Histogram<double> ClaimDuration { get; } = Meter.CreateHistogram<double>("immutableinfra.machine.claim.duration", unit: "s",
        description: "From BaremetalMachine creation to its host claimed.");

    public static Histogram<double> BootstrapDuration { get; } = Meter.CreateHistogram<double>("immutableinfra.machine.bootstrap.duration", unit: "s",
        description: "From host claimed to the machine provisioned.");

    public static Histogram<double> CreationToDelivery { get; } = Meter.CreateHistogram<double>("immutableinfra.machine.creation_to_delivery.duration", unit: "s",
        description: "From BaremetalMachine creation to its bootstrap data delivered to the host.");
}
