using System.Net;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>An error answer of the API server, with its <c>Status</c> body.</summary>
public class KubeApiException : Exception
{
    public KubeApiException()
        : this(new KubeStatus { Message = "Kubernetes API error" }, HttpStatusCode.InternalServerError)
    {
    }

    public KubeApiException(string message)
        : this(new KubeStatus { Message = message }, HttpStatusCode.InternalServerError)
    {
    }

    public KubeApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = new KubeStatus { Message = message };
    }

    public KubeApiException(KubeStatus status, HttpStatusCode statusCode)
        : base(Describe(status, statusCode))
    {
        ArgumentNullException.ThrowIfNull(status);
        Status = status;
        StatusCode = statusCode;
    }

    public KubeStatus Status { get; }

    public HttpStatusCode StatusCode { get; } = HttpStatusCode.InternalServerError;

    /// <summary>The machine-readable reason (NotFound, Conflict, Invalid...).</summary>
    public string? Reason => Status.Reason;

    private static string Describe(KubeStatus status, HttpStatusCode code) =>
        $"{(int)code} {status?.Reason ?? code.ToString()}: {status?.Message}";
}
