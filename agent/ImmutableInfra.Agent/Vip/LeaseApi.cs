namespace ImmutableInfra.Agent.Vip;

/// <summary>The arbiter's own connection to the local apiserver: the Lease operations and whatever owns the HTTP client.</summary>
internal sealed class LeaseApi(ILeaseStore leases, IDisposable? owner = null) : IDisposable
{
    public ILeaseStore Leases { get; } = leases;

    public void Dispose() => owner?.Dispose();
}
