namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>meta/v1 DeleteOptions: preconditions and propagation policy.</summary>
public sealed class DeleteOptions
{
    public string? Kind { get; set; } = "DeleteOptions";
    public string? ApiVersion { get; set; } = "v1";
    public Preconditions? Preconditions { get; set; }

    /// <summary>Orphan, Background or Foreground.</summary>
    public string? PropagationPolicy { get; set; }

    public long? GracePeriodSeconds { get; set; }
}

/// <summary>Delete preconditions: the delete fails with Conflict unless uid/resourceVersion match.</summary>
public sealed class Preconditions
{
    public string? Uid { get; set; }
    public string? ResourceVersion { get; set; }
}
