namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>Descriptors of the built-in and Cluster API kinds the provider uses.</summary>
public static class KubeResources
{
    public static ResourceDescriptor<KubeNamespace> Namespaces { get; } =
        new("", "v1", "namespaces", "Namespace", false, KubeJsonContext.Default.KubeNamespace);

    public static ResourceDescriptor<Secret> Secrets { get; } =
        new("", "v1", "secrets", "Secret", true, KubeJsonContext.Default.Secret);

    public static ResourceDescriptor<ConfigMap> ConfigMaps { get; } =
        new("", "v1", "configmaps", "ConfigMap", true, KubeJsonContext.Default.ConfigMap);

    public static ResourceDescriptor<KubeEvent> Events { get; } =
        new("", "v1", "events", "Event", true, KubeJsonContext.Default.KubeEvent);

    public static ResourceDescriptor<Node> Nodes { get; } =
        new("", "v1", "nodes", "Node", false, KubeJsonContext.Default.Node);

    public static ResourceDescriptor<Lease> Leases { get; } =
        new("coordination.k8s.io", "v1", "leases", "Lease", true, KubeJsonContext.Default.Lease);

    public static ResourceDescriptor<CustomResourceDefinition> CustomResourceDefinitions { get; } =
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false,
            KubeJsonContext.Default.CustomResourceDefinition);

    public static ResourceDescriptor<CapiCluster> CapiClusters { get; } =
        new("cluster.x-k8s.io", "v1beta1", "clusters", "Cluster", true, KubeJsonContext.Default.CapiCluster);

    public static ResourceDescriptor<CapiMachine> CapiMachines { get; } =
        new("cluster.x-k8s.io", "v1beta1", "machines", "Machine", true, KubeJsonContext.Default.CapiMachine);
}
