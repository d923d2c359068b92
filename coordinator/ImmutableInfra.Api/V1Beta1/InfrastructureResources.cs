using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>Descriptors of the provider's kinds, for <c>KubeClient.Resource(...)</c>.</summary>
public static class InfrastructureResources
{
    public static ResourceDescriptor<MachineInventoryPool> MachineInventoryPools { get; } =
        new(ApiGroup.Group, ApiGroup.Version, "machineinventorypools", "MachineInventoryPool", true,
            ApiJsonContext.Default.MachineInventoryPool);

    public static ResourceDescriptor<MachineInventory> MachineInventories { get; } =
        new(ApiGroup.Group, ApiGroup.Version, "machineinventories", "MachineInventory", true,
            ApiJsonContext.Default.MachineInventory);

    public static ResourceDescriptor<BaremetalCluster> BaremetalClusters { get; } =
        new(ApiGroup.Group, ApiGroup.Version, "baremetalclusters", "BaremetalCluster", true,
            ApiJsonContext.Default.BaremetalCluster);

    public static ResourceDescriptor<BaremetalMachineTemplate> BaremetalMachineTemplates { get; } =
        new(ApiGroup.Group, ApiGroup.Version, "baremetalmachinetemplates", "BaremetalMachineTemplate", true,
            ApiJsonContext.Default.BaremetalMachineTemplate);

    public static ResourceDescriptor<BaremetalMachine> BaremetalMachines { get; } =
        new(ApiGroup.Group, ApiGroup.Version, "baremetalmachines", "BaremetalMachine", true,
            ApiJsonContext.Default.BaremetalMachine);
}
