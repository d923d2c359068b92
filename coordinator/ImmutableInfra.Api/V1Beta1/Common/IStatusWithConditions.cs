using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>A status that carries <c>conditions</c>; <see cref="ConditionExtensions"/> reads and writes them.</summary>
public interface IStatusWithConditions
{
    List<Condition>? Conditions { get; set; }
}
