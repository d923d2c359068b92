using System.Net;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>429 TooManyRequests: still throttled after the client's retries.</summary>
public sealed class KubeTooManyRequestsException : KubeApiException
{
    public KubeTooManyRequestsException()
    {
    }

    public KubeTooManyRequestsException(string message)
        : base(message)
    {
    }

    public KubeTooManyRequestsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubeTooManyRequestsException(KubeStatus status, HttpStatusCode statusCode)
        : base(status, statusCode)
    {
    }
}
