using System.Net;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>409 Conflict: a stale resourceVersion or a failed delete precondition.</summary>
public sealed class KubeConflictException : KubeApiException
{
    public KubeConflictException()
    {
    }

    public KubeConflictException(string message)
        : base(message)
    {
    }

    public KubeConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubeConflictException(KubeStatus status, HttpStatusCode statusCode)
        : base(status, statusCode)
    {
    }
}
