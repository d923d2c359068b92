using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A machine class: Cluster API creates BaremetalMachines from <c>spec.template</c>.</summary>
public sealed class BaremetalMachineTemplate : KubeObject<BaremetalMachineTemplateSpec, BaremetalMachineTemplateStatus>
{
}
