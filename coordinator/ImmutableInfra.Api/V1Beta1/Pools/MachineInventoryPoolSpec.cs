using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>Which hosts serve a pool, how hosts register into it, and the defaults they get.</summary>
public sealed class MachineInventoryPoolSpec
{
    /// <summary>
    /// MachineInventory names allowed in the pool. When both this and <see cref="Selector"/> are set a host
    /// must satisfy both; when neither is, the pool serves the hosts that registered through it.
    /// </summary>
    public List<string>? InventoryNames { get; set; }

    /// <summary>Labels a MachineInventory must carry to serve the pool.</summary>
    public LabelSelector? Selector { get; set; }

    public PoolRegistration? Registration { get; set; }
    public PoolDefaults? Defaults { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
