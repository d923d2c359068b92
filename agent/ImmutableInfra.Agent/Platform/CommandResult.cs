namespace ImmutableInfra.Agent.Platform;

/// <summary>How a process ended and what it printed, bounded.</summary>
internal sealed record CommandResult(int ExitCode, bool TimedOut, BoundedOutput StandardOutput, BoundedOutput StandardError)
{
    public bool Succeeded => !TimedOut && ExitCode == 0;

    public static CommandResult Ok() => new(0, false, BoundedOutput.Empty, BoundedOutput.Empty);
}
