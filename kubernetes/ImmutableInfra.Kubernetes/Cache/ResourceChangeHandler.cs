using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Cache;

/// <summary>An <see cref="IResourceChangeHandler{T}"/> from delegates (usually: enqueue the key).</summary>
public sealed class ResourceChangeHandler<T>(Action<T>? onAdd = null, Action<T, T>? onUpdate = null, Action<T>? onDelete = null) : IResourceChangeHandler<T>
    where T : KubeObject
{
    public void OnAdd(T item) => onAdd?.Invoke(item);

    public void OnUpdate(T previous, T current) => onUpdate?.Invoke(previous, current);

    public void OnDelete(T item) => onDelete?.Invoke(item);
}
