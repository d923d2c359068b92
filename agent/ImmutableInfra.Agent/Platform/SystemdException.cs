namespace ImmutableInfra.Agent.Platform;

/// <summary>A systemd operation that failed or timed out.</summary>
internal sealed class SystemdException : Exception
{
    public SystemdException(string message)
        : base(message)
    {
    }

    public SystemdException()
    {
    }

    public SystemdException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
