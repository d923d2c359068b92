using System.Net;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>401 Unauthorized: no or bad credentials.</summary>
public sealed class KubeUnauthorizedException : KubeApiException
{
    public KubeUnauthorizedException()
    {
    }

    public KubeUnauthorizedException(string message)
        : base(message)
    {
    }

    public KubeUnauthorizedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubeUnauthorizedException(KubeStatus status, HttpStatusCode statusCode)
        : base(status, statusCode)
    {
    }
}
