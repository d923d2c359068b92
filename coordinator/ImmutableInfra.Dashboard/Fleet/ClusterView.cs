using System.Text.Json;
using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Dashboard.Fleet;

/// <summary>A BaremetalCluster as shown: its endpoint, its load balancer and VIP, and its conditions.</summary>
internal sealed record ClusterView(ObjectMetadata Metadata, string? DecodeError)
{
    public string? Endpoint { get; init; }
    public string LoadBalancer { get; init; } = "?";
    public bool InternalVip => LoadBalancer == nameof(LoadBalancerType.Internal);
    public string? Vip { get; init; }
    public int? Vrid { get; init; }
    public bool Ready { get; init; }
    public IReadOnlyList<ConditionView> Conditions { get; init; } = [];

    /// <summary>The CAPI Cluster's name: Cluster API's label when present, else the object's own name.</summary>
    public string ClusterName => Metadata.Labels.GetValueOrDefault(MachineView.ClusterNameLabel) ?? Metadata.Name;

    public string Key => Metadata.Key;

    public static ClusterView Decode(JsonElement item)
    {
        var meta = ObjectMetadata.Read(item);
        var cluster = ObjectDecoding.Decode(item, ApiJsonContext.Default.BaremetalCluster, out var error);
        if (error is not null)
        {
            return new ClusterView(meta, error) { LoadBalancer = HostDecoder.Undecodable };
        }

        var spec = cluster?.Spec;
        var lb = spec?.ControlPlaneLoadBalancer;
        return new ClusterView(meta, null)
        {
            Endpoint = spec?.ControlPlaneEndpoint is { Host.Length: > 0 } ep ? $"{ep.Host}:{ep.Port}" : null,
            LoadBalancer = lb?.Type?.ToString() ?? "none",
            Vip = lb?.Vip,
            Vrid = lb?.Vrid,
            Ready = cluster?.Status?.Initialization?.Provisioned == true || cluster?.Status?.Ready == true,
            Conditions = ConditionView.From(cluster?.Status?.Conditions),
        };
    }
}
