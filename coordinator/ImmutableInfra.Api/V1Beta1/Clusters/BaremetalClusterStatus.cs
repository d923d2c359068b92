using System.Text.Json;
using System.Text.Json.Serialization;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A BaremetalCluster's status, per the Cluster API InfraCluster contract (v1beta2, and v1beta1's <c>ready</c>).</summary>
public sealed class BaremetalClusterStatus : IStatusWithConditions
{
    /// <summary>v1beta2 contract: <c>initialization.provisioned</c> tells Cluster API the infrastructure is ready.</summary>
    public InitializationStatus? Initialization { get; set; }

    /// <summary>
    /// v1beta2 contract: a list keyed by name. Cores that speak only the v1beta1 contract (Cluster API before
    /// 1.11) expect a map here and cannot read a list, so leave it empty for them.
    /// </summary>
    public List<FailureDomain>? FailureDomains { get; set; }

    /// <summary>v1beta1 contract: the same fact as <c>initialization.provisioned</c>, for cores before 1.11.</summary>
    public bool? Ready { get; set; }

    public long? ObservedGeneration { get; set; }
    public List<Condition>? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
