using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>How a disk is attached (absent when the agent cannot tell).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DiskTransport>))]
public enum DiskTransport
{
    [JsonStringEnumMemberName("nvme")]
    Nvme,

    [JsonStringEnumMemberName("sata")]
    Sata,

    [JsonStringEnumMemberName("sas")]
    Sas,

    [JsonStringEnumMemberName("virtio")]
    Virtio,

    [JsonStringEnumMemberName("usb")]
    Usb,

    [JsonStringEnumMemberName("scsi")]
    Scsi,

    [JsonStringEnumMemberName("mmc")]
    Mmc,
}
