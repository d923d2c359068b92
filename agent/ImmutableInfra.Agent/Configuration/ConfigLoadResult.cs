namespace ImmutableInfra.Agent.Configuration;

/// <summary>The outcome of loading agent.yaml: options when valid, and every error and warning found.</summary>
internal sealed record ConfigLoadResult(AgentOptions? Options, IReadOnlyList<ConfigIssue> Errors, IReadOnlyList<ConfigIssue> Warnings)
{
    public bool IsValid => Options is not null && Errors.Count == 0;
}
