namespace ImmutableInfra.Kubernetes.LeaderElection;

/// <summary>A leadership change: who leads now and the Lease's transition count (the fencing token).</summary>
public sealed class LeaderElectionEventArgs(string? identity, int leaseTransitions) : EventArgs
{
    /// <summary>The leader's identity; null when nobody holds the Lease.</summary>
    public string? Identity { get; } = identity;

    public int LeaseTransitions { get; } = leaseTransitions;
}
