using System.Runtime.CompilerServices;
using System.Text.Json;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Tests.LeaderElection;

/// <summary>One Lease with the API server's optimistic concurrency, shared by the candidates' fake clients.</summary>
public sealed class FakeLeaseStore
{
    private readonly Lock _lock = new();
    private string? _json;
    private long _version;

    public Lease? Current
    {
        get
        {
            lock (_lock)
            {
                return _json is null ? null : JsonSerializer.Deserialize(_json, KubeJsonContext.Default.Lease);
            }
        }
    }

    public Lease Get()
    {
        lock (_lock)
        {
            return _json is null
                ? throw new KubeNotFoundException(new KubeStatus { Reason = "NotFound", Code = 404 }, System.Net.HttpStatusCode.NotFound)
                : JsonSerializer.Deserialize(_json, KubeJsonContext.Default.Lease)!;
        }
    }

    public Lease Write(Lease lease, bool create)
    {
        lock (_lock)
        {
            if (create && _json is not null)
            {
                throw new KubeAlreadyExistsException(new KubeStatus { Reason = "AlreadyExists", Code = 409 }, System.Net.HttpStatusCode.Conflict);
            }

            if (!create && lease.Metadata.ResourceVersion != _version.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new KubeConflictException(new KubeStatus { Reason = "Conflict", Code = 409 }, System.Net.HttpStatusCode.Conflict);
            }

            _version++;
            lease.Metadata.ResourceVersion = _version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _json = JsonSerializer.Serialize(lease, KubeJsonContext.Default.Lease);
            return JsonSerializer.Deserialize(_json, KubeJsonContext.Default.Lease)!;
        }
    }
}

/// <summary>A candidate's view of the Lease; <see cref="Failing"/> makes every call fail like an unreachable server.</summary>
public sealed class FakeLeaseClient(FakeLeaseStore store) : IResourceClient<Lease>
{
    public bool Failing { get; set; }

    public ResourceDescriptor<Lease> Descriptor => KubeResources.Leases;

    public Task<Lease> GetAsync(string? namespaceName, string name, CancellationToken cancellationToken = default) => Run(store.Get);

    public Task<Lease> CreateAsync(Lease item, CancellationToken cancellationToken = default) => Run(() => store.Write(item, create: true));

    public Task<Lease> UpdateAsync(Lease item, CancellationToken cancellationToken = default) => Run(() => store.Write(item, create: false));

    public Task<KubeList<Lease>> ListAsync(string? namespaceName, ListOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Lease> UpdateStatusAsync(Lease item, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Lease> PatchAsync(string? namespaceName, string name, string mergePatchJson, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Lease> PatchStatusAsync(string? namespaceName, string name, string mergePatchJson, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task DeleteAsync(string? namespaceName, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public async IAsyncEnumerable<WatchEvent<Lease>> WatchAsync(string? namespaceName, WatchOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        yield break;
    }

    private Task<Lease> Run(Func<Lease> action) =>
        Failing ? Task.FromException<Lease>(new KubeConnectionException("injected: API server unreachable")) : Task.FromResult(action());
}
