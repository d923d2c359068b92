using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>What a host has, mirroring the agent contract's HostInventory (Kubernetes-style names: acronyms in one case).</summary>
public sealed class HostInventory
{
    public SystemInfo? System { get; set; }
    public CpuInfo? Cpu { get; set; }
    public MemoryInfo? Memory { get; set; }
    public List<NicInfo>? Nics { get; set; }
    public List<DiskInfo>? Disks { get; set; }
    public OsInfo? Os { get; set; }

    /// <summary>The agent's stable hash of everything above; equal fingerprints mean equal inventories.</summary>
    public string? Fingerprint { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
