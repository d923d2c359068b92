namespace ImmutableInfra.Kubernetes.Client;

/// <summary>The API server could not be reached (or did not answer in time) within the bounded attempts.</summary>
public sealed class KubeConnectionException : Exception
{
    public KubeConnectionException()
    {
    }

    public KubeConnectionException(string message)
        : base(message)
    {
    }

    public KubeConnectionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
