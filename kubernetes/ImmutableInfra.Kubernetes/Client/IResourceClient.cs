using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>Operations on one kind. <see cref="ResourceClient{T}"/> is the HTTP implementation; tests may fake it.</summary>
public interface IResourceClient<T>
    where T : KubeObject
{
    ResourceDescriptor<T> Descriptor { get; }

    Task<T> GetAsync(string? namespaceName, string name, CancellationToken cancellationToken = default);

    Task<KubeList<T>> ListAsync(string? namespaceName, ListOptions? options = null, CancellationToken cancellationToken = default);

    Task<T> CreateAsync(T item, CancellationToken cancellationToken = default);

    /// <summary>Replaces the object; fails with <see cref="KubeConflictException"/> if its resourceVersion is stale.</summary>
    Task<T> UpdateAsync(T item, CancellationToken cancellationToken = default);

    Task<T> UpdateStatusAsync(T item, CancellationToken cancellationToken = default);

    /// <summary>Applies an RFC 7386 JSON merge patch.</summary>
    Task<T> PatchAsync(string? namespaceName, string name, string mergePatchJson, CancellationToken cancellationToken = default);

    Task<T> PatchStatusAsync(string? namespaceName, string name, string mergePatchJson, CancellationToken cancellationToken = default);

    Task DeleteAsync(string? namespaceName, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default);

    IAsyncEnumerable<WatchEvent<T>> WatchAsync(string? namespaceName, WatchOptions? options = null, CancellationToken cancellationToken = default);
}
