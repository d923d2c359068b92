using System.Text.Json;
using System.Text.Json.Serialization;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>How many of a pool's hosts are in each state, and the pool's conditions.</summary>
public sealed class MachineInventoryPoolStatus : IStatusWithConditions
{
    public int? Registering { get; set; }
    public int? Available { get; set; }
    public int? Claimed { get; set; }
    public int? Provisioning { get; set; }
    public int? Provisioned { get; set; }
    public int? Deprovisioning { get; set; }
    public int? Maintenance { get; set; }
    public int? Offline { get; set; }
    public int? Failed { get; set; }
    public int? Total { get; set; }
    public long? ObservedGeneration { get; set; }
    public List<Condition>? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>
    /// Sets every per-state count and the total from the states of the pool's hosts. Returns whether any
    /// count changed, so an unchanged pool costs no write.
    /// </summary>
    public bool SetCounts(IEnumerable<HostState> hostStates)
    {
        ArgumentNullException.ThrowIfNull(hostStates);
        var counts = new Dictionary<HostState, int>();
        var total = 0;
        foreach (var state in hostStates)
        {
            counts[state] = counts.GetValueOrDefault(state) + 1;
            total++;
        }

        var before = (Registering, Available, Claimed, Provisioning, Provisioned, Deprovisioning, Maintenance, Offline, Failed, Total);
        Registering = counts.GetValueOrDefault(HostState.Registering);
        Available = counts.GetValueOrDefault(HostState.Available);
        Claimed = counts.GetValueOrDefault(HostState.Claimed);
        Provisioning = counts.GetValueOrDefault(HostState.Provisioning);
        Provisioned = counts.GetValueOrDefault(HostState.Provisioned);
        Deprovisioning = counts.GetValueOrDefault(HostState.Deprovisioning);
        Maintenance = counts.GetValueOrDefault(HostState.Maintenance);
        Offline = counts.GetValueOrDefault(HostState.Offline);
        Failed = counts.GetValueOrDefault(HostState.Failed);
        Total = total;
        return before != (Registering, Available, Claimed, Provisioning, Provisioned, Deprovisioning, Maintenance, Offline, Failed, Total);
    }
}
