namespace ImmutableInfra.Agent.Reset;

/// <summary>How a reset ended: complete, or failed with a reason (no retry; the coordinator decides).</summary>
internal sealed record ResetOutcome(bool Succeeded, string FailureReason)
{
    public static ResetOutcome Success { get; } = new(true, string.Empty);

    public static ResetOutcome Failed(string reason) => new(false, reason);
}
