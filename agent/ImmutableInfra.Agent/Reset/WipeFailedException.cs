namespace ImmutableInfra.Agent.Reset;

/// <summary>A wipe tool that failed; the message is the reason reported for the disk.</summary>
internal sealed class WipeFailedException : Exception
{
    public WipeFailedException(string message)
        : base(message)
    {
    }

    public WipeFailedException()
    {
    }

    public WipeFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
