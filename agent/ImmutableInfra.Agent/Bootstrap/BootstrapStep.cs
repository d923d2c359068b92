namespace ImmutableInfra.Agent.Bootstrap;

/// <summary>One resumable unit of bootstrap work. Its name is reported and journaled; it never holds file contents.</summary>
internal abstract class BootstrapStep(string name)
{
    public string Name { get; } = name;

    public abstract Task ExecuteAsync(BootstrapContext context, CancellationToken cancellationToken);
}
