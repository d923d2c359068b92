using System.Net;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>404 NotFound: the object (or its namespace) does not exist.</summary>
public sealed class KubeNotFoundException : KubeApiException
{
    public KubeNotFoundException()
    {
    }

    public KubeNotFoundException(string message)
        : base(message)
    {
    }

    public KubeNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubeNotFoundException(KubeStatus status, HttpStatusCode statusCode)
        : base(status, statusCode)
    {
    }
}
