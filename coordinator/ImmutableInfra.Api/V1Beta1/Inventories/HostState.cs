using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>
/// The life-cycle state of a host: Registering, Available, Claimed, Provisioning, Provisioned,
/// Deprovisioning and back to Available, plus Maintenance, Offline and Failed.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<HostState>))]
public enum HostState
{
    /// <summary>Enrolled but not yet approved (its pool does not auto-approve).</summary>
    Registering,

    /// <summary>Idle and claimable.</summary>
    Available,

    /// <summary>Bound to a BaremetalMachine that has not started provisioning it yet.</summary>
    Claimed,

    /// <summary>Running the machine's bootstrap data.</summary>
    Provisioning,

    /// <summary>Bootstrap succeeded: the host is the machine's node.</summary>
    Provisioned,

    /// <summary>Being reset and wiped after its machine was deleted.</summary>
    Deprovisioning,

    /// <summary>Cordoned by an operator: not claimable.</summary>
    Maintenance,

    /// <summary>No agent stream for longer than the grace period.</summary>
    Offline,

    /// <summary>The last action failed; conditions say why.</summary>
    Failed,
}
