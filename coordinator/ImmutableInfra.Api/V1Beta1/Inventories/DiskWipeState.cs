using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>Where one disk's wipe stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DiskWipeState>))]
public enum DiskWipeState
{
    Pending,
    Running,
    Done,

    /// <summary>Not wiped on purpose (OS disk, mounted, persistent, policy None).</summary>
    Skipped,

    Failed,
}
