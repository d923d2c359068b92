using System.Net;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>409 AlreadyExists: an object with that name exists.</summary>
public sealed class KubeAlreadyExistsException : KubeApiException
{
    public KubeAlreadyExistsException()
    {
    }

    public KubeAlreadyExistsException(string message)
        : base(message)
    {
    }

    public KubeAlreadyExistsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubeAlreadyExistsException(KubeStatus status, HttpStatusCode statusCode)
        : base(status, statusCode)
    {
    }
}
