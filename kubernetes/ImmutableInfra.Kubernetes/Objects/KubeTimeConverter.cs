namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>Kubernetes <c>metav1.Time</c>: RFC 3339 in UTC with whole seconds.</summary>
public sealed class KubeTimeConverter() : KubeTimestampConverter("yyyy-MM-dd'T'HH:mm:ss'Z'");
