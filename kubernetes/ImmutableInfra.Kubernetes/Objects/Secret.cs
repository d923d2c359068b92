namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>core/v1 Secret. <see cref="Data"/> values are raw bytes (base64 on the wire); never log them.</summary>
public sealed class Secret : KubeObject
{
    public string? Type { get; set; }
    public bool? Immutable { get; set; }
    public Dictionary<string, byte[]>? Data { get; set; }
    public Dictionary<string, string>? StringData { get; set; }
}
