namespace ImmutableInfra.Kubernetes.LeaderElection;

/// <summary>Which Lease to compete for, who we are, and client-go's three durations.</summary>
public sealed class LeaderElectionOptions
{
    public required string LeaseNamespace { get; init; }

    public required string LeaseName { get; init; }

    /// <summary>This candidate's identity (holderIdentity), unique among candidates.</summary>
    public required string Identity { get; init; }

    /// <summary>How long others wait, after last seeing the Lease change, before taking it over.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the leader keeps trying to renew before stepping down; shorter than the lease duration.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Pause between attempts (jittered up to 1.2x, as client-go).</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Clear the holder on graceful stop so a successor takes over at once.</summary>
    public bool ReleaseOnStop { get; init; } = true;

    public const double JitterFactor = 1.2;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(LeaseNamespace) || string.IsNullOrWhiteSpace(LeaseName) || string.IsNullOrWhiteSpace(Identity))
        {
            throw new ArgumentException("LeaderElectionOptions: LeaseNamespace, LeaseName and Identity are required");
        }

        if (RetryPeriod <= TimeSpan.Zero || RenewDeadline <= RetryPeriod * JitterFactor || LeaseDuration <= RenewDeadline)
        {
            throw new ArgumentException("LeaderElectionOptions: LeaseDuration > RenewDeadline > 1.2 x RetryPeriod > 0 is required");
        }
    }
}
