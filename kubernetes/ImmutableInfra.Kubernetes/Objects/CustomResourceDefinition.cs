using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>apiextensions.k8s.io/v1 CustomResourceDefinition, typed where the provider and the in-memory server read it.</summary>
public sealed class CustomResourceDefinition : KubeObject<CustomResourceDefinitionSpec, CustomResourceDefinitionStatus>
{
}

/// <summary>CRD spec: group, names, scope and versions.</summary>
public sealed class CustomResourceDefinitionSpec
{
    public string? Group { get; set; }
    public CustomResourceDefinitionNames? Names { get; set; }
    public string? Scope { get; set; }
    public List<CustomResourceDefinitionVersion>? Versions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>CRD names (plural, singular, kind, listKind, shortNames).</summary>
public sealed class CustomResourceDefinitionNames
{
    public string? Plural { get; set; }
    public string? Singular { get; set; }
    public string? Kind { get; set; }
    public string? ListKind { get; set; }
    public List<string>? ShortNames { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>One CRD version: served/storage flags and subresources (schema kept as unknown fields).</summary>
public sealed class CustomResourceDefinitionVersion
{
    public string? Name { get; set; }
    public bool Served { get; set; }
    public bool Storage { get; set; }
    public CustomResourceSubresources? Subresources { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>CRD subresources; a non-null <see cref="Status"/> enables the status subresource.</summary>
public sealed class CustomResourceSubresources
{
    public JsonElement? Status { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>CRD status: conditions (Established, NamesAccepted) and accepted names.</summary>
public sealed class CustomResourceDefinitionStatus
{
    public List<Condition>? Conditions { get; set; }
    public CustomResourceDefinitionNames? AcceptedNames { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}
