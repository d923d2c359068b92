namespace ImmutableInfra.Agent.Bootstrap;

/// <summary>How a bootstrap run ended: Succeeded (sentinel present) or Failed with a reason safe to report.</summary>
internal sealed record BootstrapOutcome(bool Succeeded, string FailureReason)
{
    public static BootstrapOutcome Success { get; } = new(true, string.Empty);

    public static BootstrapOutcome Failed(string reason) => new(false, reason);
}
