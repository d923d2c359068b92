using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>A typed view of cluster.x-k8s.io/v1beta1 Machine over the fields the provider reads.</summary>
public sealed class CapiMachine : KubeObject<CapiMachineSpec, CapiMachineStatus>
{
}

/// <summary>Machine spec fields the provider reads.</summary>
public sealed class CapiMachineSpec
{
    public string? ClusterName { get; set; }
    public CapiBootstrap? Bootstrap { get; set; }
    public ObjectReference? InfrastructureRef { get; set; }
    public string? Version { get; set; }

    [JsonPropertyName("providerID")]
    public string? ProviderId { get; set; }

    public string? FailureDomain { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Machine bootstrap: config ref and the data secret once generated.</summary>
public sealed class CapiBootstrap
{
    public ObjectReference? ConfigRef { get; set; }
    public string? DataSecretName { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Machine status fields the provider reads.</summary>
public sealed class CapiMachineStatus
{
    public string? Phase { get; set; }
    public ObjectReference? NodeRef { get; set; }
    public bool? BootstrapReady { get; set; }
    public bool? InfrastructureReady { get; set; }
    public List<NodeAddress>? Addresses { get; set; }
    public List<Condition>? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
