using System.Net;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>422 Invalid: the object failed validation; see <see cref="KubeInvalidException.Causes"/>.</summary>
public sealed class KubeInvalidException : KubeApiException
{
    public KubeInvalidException()
    {
    }

    public KubeInvalidException(string message)
        : base(message)
    {
    }

    public KubeInvalidException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public KubeInvalidException(KubeStatus status, HttpStatusCode statusCode)
        : base(status, statusCode)
    {
    }

    /// <summary>The field causes (field path, reason, message).</summary>
    public IReadOnlyList<KubeStatusCause> Causes => Status.Details?.Causes ?? [];
}
