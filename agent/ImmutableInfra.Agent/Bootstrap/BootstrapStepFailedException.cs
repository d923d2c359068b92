namespace ImmutableInfra.Agent.Bootstrap;

/// <summary>A step that ran and did not succeed; the message is the failure reason reported upstream (never contents).</summary>
internal sealed class BootstrapStepFailedException : Exception
{
    public BootstrapStepFailedException(string message)
        : base(message)
    {
    }

    public BootstrapStepFailedException()
    {
    }

    public BootstrapStepFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
