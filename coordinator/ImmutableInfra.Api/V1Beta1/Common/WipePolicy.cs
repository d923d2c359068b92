using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>What happens to a host's data disks when it is released. The OS disk is never wiped.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WipePolicy>))]
public enum WipePolicy
{
    /// <summary>Leave data disks as they are.</summary>
    None,

    /// <summary>Remove filesystem, RAID and partition-table signatures.</summary>
    Metadata,

    /// <summary>Overwrite every byte.</summary>
    Full,
}
