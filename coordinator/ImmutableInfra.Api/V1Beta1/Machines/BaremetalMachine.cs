using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>The InfraMachine of one Cluster API Machine: which host it may claim, and the host it got.</summary>
public sealed class BaremetalMachine : KubeObject<BaremetalMachineSpec, BaremetalMachineStatus>
{
}
