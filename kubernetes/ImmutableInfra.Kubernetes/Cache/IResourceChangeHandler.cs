using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Cache;

/// <summary>Told about every change a <see cref="WatchCache{T}"/> applies (after the cache holds it).</summary>
public interface IResourceChangeHandler<in T>
    where T : KubeObject
{
    void OnAdd(T item);

    void OnUpdate(T previous, T current);

    void OnDelete(T item);
}
