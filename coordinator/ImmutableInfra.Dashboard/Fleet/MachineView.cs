using System.Text.Json;
using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Dashboard.Fleet;

/// <summary>A BaremetalMachine as shown: its phase, the host it claimed and its conditions.</summary>
internal sealed record MachineView(ObjectMetadata Metadata, string? DecodeError)
{
    /// <summary>Cluster API's label naming the cluster a machine belongs to.</summary>
    public const string ClusterNameLabel = "cluster.x-k8s.io/cluster-name";

    public string Phase { get; init; } = "Unknown";
    public string? Cluster => Metadata.Labels.GetValueOrDefault(ClusterNameLabel);
    public bool ControlPlane => Metadata.Labels.ContainsKey("cluster.x-k8s.io/control-plane");
    public string? Pool { get; init; }
    public string? HostName { get; init; }
    public string? BootstrapStep { get; init; }
    public bool Ready { get; init; }
    public IReadOnlyList<ConditionView> Conditions { get; init; } = [];

    public string Key => Metadata.Key;

    public static MachineView Decode(JsonElement item)
    {
        var meta = ObjectMetadata.Read(item);
        var machine = ObjectDecoding.Decode(item, ApiJsonContext.Default.BaremetalMachine, out var error);
        if (error is not null)
        {
            return new MachineView(meta, error) { Phase = HostDecoder.Undecodable };
        }

        var status = machine?.Status;
        return new MachineView(meta, null)
        {
            Phase = status?.Phase?.ToString() ?? "Pending",
            Pool = machine?.Spec?.PoolRef?.Name,
            HostName = status?.HostRef?.Name,
            BootstrapStep = status?.BootstrapStep,
            Ready = status?.Initialization?.Provisioned == true || status?.Ready == true,
            Conditions = ConditionView.From(status?.Conditions),
        };
    }
}
