using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>One physical host: its identity and settings, and its state, hardware, claim and agent progress.</summary>
public sealed class MachineInventory : KubeObject<MachineInventorySpec, MachineInventoryStatus>
{
}
