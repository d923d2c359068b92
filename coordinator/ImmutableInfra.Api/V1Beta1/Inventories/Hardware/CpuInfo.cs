using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A host's processors.</summary>
public sealed class CpuInfo
{
    public string? Model { get; set; }
    public int? Sockets { get; set; }

    /// <summary>Physical cores over all sockets.</summary>
    public int? Cores { get; set; }

    /// <summary>Logical CPUs over all sockets; what <c>hostSelector.minCPU</c> compares against.</summary>
    public int? Threads { get; set; }

    /// <summary>Kernel architecture name, e.g. x86_64 or aarch64.</summary>
    public string? Architecture { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
