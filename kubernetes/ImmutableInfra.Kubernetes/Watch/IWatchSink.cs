using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Watch;

/// <summary>Receives what a <see cref="ListWatcher{T}"/> learns: full relists and single changes.</summary>
public interface IWatchSink<in T>
    where T : KubeObject
{
    /// <summary>The complete state at a list's resourceVersion (start-up and every relist).</summary>
    void Replace(IReadOnlyList<T> items);

    void Upsert(T item);

    void Remove(T item);
}
