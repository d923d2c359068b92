namespace ImmutableInfra.Kubernetes.Client;

/// <summary>A watch line exceeded <see cref="KubeClientOptions.MaxWatchLineBytes"/>.</summary>
public sealed class WatchLineTooLongException : Exception
{
    public WatchLineTooLongException()
    {
    }

    public WatchLineTooLongException(string message)
        : base(message)
    {
    }

    public WatchLineTooLongException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
