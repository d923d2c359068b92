using System.Net;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>410 Gone: the resourceVersion or continue token is older than the server keeps.</summary>
public sealed class KubeGoneException : KubeApiException
{
    public KubeGoneException()
    {
    }

    public KubeGoneException(string message)
        : base(message)
    {
    }

    public KubeGoneException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubeGoneException(KubeStatus status, HttpStatusCode statusCode)
        : base(status, statusCode)
    {
    }
}
