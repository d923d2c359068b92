namespace ImmutableInfra.Coordinator.Controllers;

/// <summary>Reasons on the Ready condition of BaremetalMachines and BaremetalClusters (CamelCase, as API conventions ask).</summary>
internal static class MachineConditions
{
    public const string WaitingForOwnerMachine = "WaitingForOwnerMachine";
    public const string WaitingForBootstrapData = "WaitingForBootstrapData";
    public const string PoolNotFound = "PoolNotFound";
    public const string NoHostAvailable = "NoHostAvailable";
    public const string InvalidSpec = "InvalidSpec";
    public const string Claimed = "HostClaimed";
    public const string Provisioning = "Provisioning";
    public const string Provisioned = "Provisioned";
    public const string ProvisioningFailed = "ProvisioningFailed";
    public const string Deprovisioning = "Deprovisioning";
    public const string HostOffline = "HostOffline";
    public const string Paused = "Paused";
    public const string NotPaused = "NotPaused";
    public const string Conflict = "Conflict";
    public const string WaitingForEndpoint = "WaitingForEndpoint";
    public const string Ready = "Ready";

    /// <summary>The finalizer that holds a BaremetalMachine until its host is reset and free.</summary>
    public const string MachineFinalizer = "baremetalmachine.infrastructure.cluster.x-k8s.io";

    /// <summary>The host a BaremetalMachine has reserved before claiming it, written with the finalizer.</summary>
    public const string ReservedHostAnnotation = "baremetalmachine.infrastructure.cluster.x-k8s.io/reserved-host";
}
