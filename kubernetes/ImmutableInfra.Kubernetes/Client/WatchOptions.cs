namespace ImmutableInfra.Kubernetes.Client;

/// <summary>Query of a watch: where to start and what to see.</summary>
public sealed class WatchOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Start after this resourceVersion (usually the list's); null or "0" starts with the current state.</summary>
    public string? ResourceVersion { get; init; }

    public bool AllowWatchBookmarks { get; init; } = true;

    /// <summary>Server-side timeout; defaults to <see cref="KubeClientOptions.WatchTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }
}
