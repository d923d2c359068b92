namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>Kubernetes <c>metav1.MicroTime</c> (Lease times): RFC 3339 in UTC with six fraction digits.</summary>
public sealed class KubeMicroTimeConverter() : KubeTimestampConverter("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'");
