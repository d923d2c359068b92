namespace ImmutableInfra.Agent.Platform;

/// <summary>Runs host processes with a timeout and bounded output capture.</summary>
internal interface ICommandRunner
{
    /// <summary>Runs the command; a timeout kills the process tree and reports TimedOut.</summary>
    Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken);
}
