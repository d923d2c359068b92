namespace ImmutableInfra.Agent.Vip;

/// <summary>
/// The arbiter's Lease on its local apiserver. Every write is conditional in one request (a JSON patch whose
/// <c>test</c> operations are checked atomically by the apiserver), so no write needs a read before it and
/// renewals may overlap: a slow renewal is never abandoned to start another.
/// </summary>
internal interface ILeaseStore
{
    /// <summary>Null when the Lease does not exist.</summary>
    Task<LeaseRecord?> GetAsync(CancellationToken cancellationToken);

    /// <summary>Creates the Lease held by <paramref name="holder"/> with leaseTransitions 0; a conflict when it exists.</summary>
    Task<LeaseRecord> CreateAsync(string holder, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Takes the Lease as last read (its resourceVersion unchanged) with the given fencing token.</summary>
    Task<LeaseRecord> AcquireAsync(LeaseRecord observed, string holder, int transitions, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Moves renewTime, on condition that the Lease still names <paramref name="holder"/> with the fencing token <paramref name="transitions"/>.</summary>
    Task<LeaseRecord> RenewAsync(string holder, int transitions, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Clears the holder (keeping leaseTransitions) on the same condition as a renewal.</summary>
    Task<LeaseRecord> ReleaseAsync(string holder, int transitions, DateTimeOffset now, CancellationToken cancellationToken);
}
