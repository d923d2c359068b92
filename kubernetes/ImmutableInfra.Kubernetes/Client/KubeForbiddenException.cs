using System.Net;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>403 Forbidden: authenticated but not allowed.</summary>
public sealed class KubeForbiddenException : KubeApiException
{
    public KubeForbiddenException()
    {
    }

    public KubeForbiddenException(string message)
        : base(message)
    {
    }

    public KubeForbiddenException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubeForbiddenException(KubeStatus status, HttpStatusCode statusCode)
        : base(status, statusCode)
    {
    }
}
