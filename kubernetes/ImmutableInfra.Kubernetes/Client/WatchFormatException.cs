namespace ImmutableInfra.Kubernetes.Client;

/// <summary>A watch stream sent a line that is not a valid watch event.</summary>
public sealed class WatchFormatException : Exception
{
    public WatchFormatException()
    {
    }

    public WatchFormatException(string message)
        : base(message)
    {
    }

    public WatchFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
