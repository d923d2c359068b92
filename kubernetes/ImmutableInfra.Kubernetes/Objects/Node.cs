using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>core/v1 Node, as far as the provider reads and writes it.</summary>
public sealed class Node : KubeObject<NodeSpec, NodeStatus>
{
}

/// <summary>Node spec: provider ID, scheduling, taints.</summary>
public sealed class NodeSpec
{
    [JsonPropertyName("providerID")]
    public string? ProviderId { get; set; }

    [JsonPropertyName("podCIDR")]
    public string? PodCidr { get; set; }

    public bool? Unschedulable { get; set; }
    public List<Taint>? Taints { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A node taint.</summary>
public sealed class Taint
{
    public string? Key { get; set; }
    public string? Value { get; set; }
    public string? Effect { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Node status: addresses and conditions.</summary>
public sealed class NodeStatus
{
    public List<NodeAddress>? Addresses { get; set; }
    public List<Condition>? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A node or machine address (type + address).</summary>
public sealed class NodeAddress
{
    public string? Type { get; set; }
    public string? Address { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
