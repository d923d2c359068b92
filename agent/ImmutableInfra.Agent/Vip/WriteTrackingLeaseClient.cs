using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Agent.Vip;

/// <summary>Passes Lease operations through and remembers, on the monotonic clock, when a write last succeeded.</summary>
internal sealed class WriteTrackingLeaseClient(IResourceClient<Lease> inner, TimeProvider time) : IResourceClient<Lease>
{
    private long _lastWrite = time.GetTimestamp();

    public ResourceDescriptor<Lease> Descriptor => inner.Descriptor;

    public TimeSpan SinceLastWrite => time.GetElapsedTime(Interlocked.Read(ref _lastWrite));

    public Task<Lease> GetAsync(string? namespaceName, string name, CancellationToken cancellationToken = default) =>
        inner.GetAsync(namespaceName, name, cancellationToken);

    public Task<KubeList<Lease>> ListAsync(string? namespaceName, ListOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.ListAsync(namespaceName, options, cancellationToken);

    public async Task<Lease> CreateAsync(Lease item, CancellationToken cancellationToken = default) =>
        Wrote(await inner.CreateAsync(item, cancellationToken).ConfigureAwait(false));

    public async Task<Lease> UpdateAsync(Lease item, CancellationToken cancellationToken = default) =>
        Wrote(await inner.UpdateAsync(item, cancellationToken).ConfigureAwait(false));

    public Task<Lease> UpdateStatusAsync(Lease item, CancellationToken cancellationToken = default) =>
        inner.UpdateStatusAsync(item, cancellationToken);

    public Task<Lease> PatchAsync(string? namespaceName, string name, string mergePatchJson, CancellationToken cancellationToken = default) =>
        inner.PatchAsync(namespaceName, name, mergePatchJson, cancellationToken);

    public Task<Lease> PatchStatusAsync(string? namespaceName, string name, string mergePatchJson, CancellationToken cancellationToken = default) =>
        inner.PatchStatusAsync(namespaceName, name, mergePatchJson, cancellationToken);

    public Task DeleteAsync(string? namespaceName, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(namespaceName, name, options, cancellationToken);

    public IAsyncEnumerable<WatchEvent<Lease>> WatchAsync(string? namespaceName, WatchOptions? options = null, CancellationToken cancellationToken = default) =>
        inner.WatchAsync(namespaceName, options, cancellationToken);

    private Lease Wrote(Lease lease)
    {
        Interlocked.Exchange(ref _lastWrite, time.GetTimestamp());
        return lease;
    }
}
