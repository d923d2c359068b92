using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>Watch event types as the API server names them.</summary>
public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}

/// <summary>One watch event: the object (<c>object</c> on the wire) (for a bookmark only its resourceVersion) or, for Error, the Status.</summary>
public sealed record WatchEvent<T>(WatchEventType Type, T? Item, KubeStatus? Status)
    where T : KubeObject
{
    public string? ResourceVersion => Item?.Metadata.ResourceVersion;
}
