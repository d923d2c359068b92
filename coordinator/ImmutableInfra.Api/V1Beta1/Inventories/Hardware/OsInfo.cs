using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>The operating system a host runs.</summary>
public sealed class OsInfo
{
    /// <summary>PRETTY_NAME from /etc/os-release.</summary>
    public string? Name { get; set; }

    /// <summary>VERSION_ID from /etc/os-release.</summary>
    public string? Version { get; set; }

    /// <summary>Kernel release (uname -r).</summary>
    public string? Kernel { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
