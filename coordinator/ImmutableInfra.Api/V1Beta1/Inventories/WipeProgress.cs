using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>How far a host's reset is: the step, each data disk's wipe, and whether it is done.</summary>
public sealed class WipeProgress
{
    /// <summary>The reset step running or last finished (kubeadm-reset, remove-state, wipe).</summary>
    public string? Step { get; set; }

    public List<DiskWipeProgress>? Disks { get; set; }

    /// <summary>Every step finished; the host may be Available again.</summary>
    public bool? Complete { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
