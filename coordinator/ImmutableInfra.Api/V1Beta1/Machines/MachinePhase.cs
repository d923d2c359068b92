using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>Where a BaremetalMachine stands, for people (controllers decide from conditions and fields).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MachinePhase>))]
public enum MachinePhase
{
    /// <summary>Waiting for bootstrap data or for a matching Available host.</summary>
    Pending,

    /// <summary>A host is claimed; provisioning has not started.</summary>
    Claimed,

    /// <summary>The host runs the bootstrap data.</summary>
    Provisioning,

    /// <summary>The host is the machine's node.</summary>
    Provisioned,

    /// <summary>The machine is being deleted; its host is being reset.</summary>
    Deprovisioning,

    /// <summary>Provisioning failed; conditions say why.</summary>
    Failed,
}
