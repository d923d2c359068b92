namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>core/v1 ConfigMap.</summary>
public sealed class ConfigMap : KubeObject
{
    public bool? Immutable { get; set; }
    public Dictionary<string, string>? Data { get; set; }
    public Dictionary<string, byte[]>? BinaryData { get; set; }
}
