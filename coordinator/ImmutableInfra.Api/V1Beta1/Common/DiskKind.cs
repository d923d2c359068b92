using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>The kind of disk a host selector can ask for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DiskKind>))]
public enum DiskKind
{
    /// <summary>An NVMe device.</summary>
    [JsonStringEnumMemberName("nvme")]
    Nvme,

    /// <summary>A non-rotational disk that is not NVMe.</summary>
    [JsonStringEnumMemberName("ssd")]
    Ssd,

    /// <summary>A rotational disk.</summary>
    [JsonStringEnumMemberName("hdd")]
    Hdd,
}
