using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A pool of hosts (usually one per cluster role): who may join it, and defaults for its hosts.</summary>
public sealed class MachineInventoryPool : KubeObject<MachineInventoryPoolSpec, MachineInventoryPoolStatus>
{
}
