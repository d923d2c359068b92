namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>Descriptors of the built-in and Cluster API kinds the provider uses.</summary>
/// <remarks>
/// Each descriptor is made on first use rather than in one static constructor, which would reach every kind's JSON
/// metadata from any one of them (the node agent uses only Leases). Descriptors are records, so a racing first use
/// that makes two is harmless.
/// </remarks>
public static class KubeResources
{
    public static ResourceDescriptor<KubeNamespace> Namespaces =>
        field ??= new("", "v1", "namespaces", "Namespace", false, KubeJsonContext.Default.KubeNamespace);

    public static ResourceDescriptor<Secret> Secrets =>
        field ??= new("", "v1", "secrets", "Secret", true, KubeJsonContext.Default.Secret);

    public static ResourceDescriptor<ConfigMap> ConfigMaps =>
        field ??= new("", "v1", "configmaps", "ConfigMap", true, KubeJsonContext.Default.ConfigMap);

    public static ResourceDescriptor<KubeEvent> Events =>
        field ??= new("", "v1", "events", "Event", true, KubeJsonContext.Default.KubeEvent);

    public static ResourceDescriptor<Node> Nodes =>
        field ??= new("", "v1", "nodes", "Node", false, KubeJsonContext.Default.Node);

    public static ResourceDescriptor<Lease> Leases =>
        field ??= new("coordination.k8s.io", "v1", "leases", "Lease", true, KubeClientJsonContext.Default.Lease);

    public static ResourceDescriptor<CustomResourceDefinition> CustomResourceDefinitions =>
        field ??= new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false,
            KubeJsonContext.Default.CustomResourceDefinition);

    public static ResourceDescriptor<CapiCluster> CapiClusters =>
        field ??= new("cluster.x-k8s.io", "v1beta1", "clusters", "Cluster", true, KubeJsonContext.Default.CapiCluster);

    public static ResourceDescriptor<CapiMachine> CapiMachines =>
        field ??= new("cluster.x-k8s.io", "v1beta1", "machines", "Machine", true, KubeJsonContext.Default.CapiMachine);
}
