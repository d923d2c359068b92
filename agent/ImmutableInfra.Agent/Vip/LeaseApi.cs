using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Agent.Vip;

/// <summary>The arbiter's own connection to the local apiserver: the Lease operations and whatever owns the HTTP client.</summary>
internal sealed class LeaseApi(IResourceClient<Lease> leases, IDisposable? owner = null) : IDisposable
{
    public IResourceClient<Lease> Leases { get; } = leases;

    public void Dispose() => owner?.Dispose();
}
