namespace ImmutableInfra.Agent.Coordination;

/// <summary>Everything the agent does with the coordinator, for as long as the service runs.</summary>
internal interface IAgentCoordination
{
    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled (then throws <see cref="OperationCanceledException"/>).</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
