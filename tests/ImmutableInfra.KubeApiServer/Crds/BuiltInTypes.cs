using ImmutableInfra.KubeApiServer.Storage;

namespace ImmutableInfra.KubeApiServer.Crds;

/// <summary>The built-in kinds the in-memory server serves.</summary>
internal static class BuiltInTypes
{
    public static ResourceType Namespaces { get; } = new("", "v1", "namespaces", "namespace", "Namespace", false, true, false);

    public static ResourceType CustomResourceDefinitions { get; } =
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false, true, false);

    public static IEnumerable<ResourceType> All { get; } =
    [
        Namespaces,
        new("", "v1", "secrets", "secret", "Secret", true, false, false),
        new("", "v1", "configmaps", "configmap", "ConfigMap", true, false, false),
        new("", "v1", "events", "event", "Event", true, false, false),
        new("", "v1", "nodes", "node", "Node", false, true, false),
        new("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, false, false),
        CustomResourceDefinitions,
    ];
}
