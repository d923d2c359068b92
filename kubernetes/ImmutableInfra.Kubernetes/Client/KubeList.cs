using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>One page of a list: its items and list metadata (resourceVersion, continue).</summary>
public sealed class KubeList<T>(IReadOnlyList<T> items, ListMeta metadata)
    where T : KubeObject
{
    public IReadOnlyList<T> Items { get; } = items;

    public ListMeta Metadata { get; } = metadata;
}
