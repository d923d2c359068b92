using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>What hosts that register through a pool get unless their own MachineInventory says otherwise.</summary>
public sealed class PoolDefaults
{
    /// <summary>Labels put on the MachineInventory of every host that registers through the pool.</summary>
    public Dictionary<string, string>? Labels { get; set; }

    /// <summary>Data-disk wipe policy on release; the CRD defaults it to <c>Metadata</c>.</summary>
    public WipePolicy? WipePolicy { get; set; }

    /// <summary>Disks kept (never wiped) across machines.</summary>
    public DiskSelector? PersistentDiskSelector { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
