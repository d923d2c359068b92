using System.Net;
using System.Text;
using System.Text.Json;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>Turns an error response (its Status body) into the matching typed exception.</summary>
internal static class KubeApiErrors
{
    private const int MaxMessageChars = 512;

    public static KubeStatus ParseStatus(HttpStatusCode code, ReadOnlySpan<byte> body)
    {
        try
        {
            var status = JsonSerializer.Deserialize(body, KubeClientJsonContext.Default.KubeStatus);
            if (status is { Kind: "Status" })
            {
                status.Code ??= (int)code;
                return status;
            }
        }
        catch (JsonException)
        {
            // Proxies in front of the API server answer in HTML or text; keep their words below.
        }

        var text = Encoding.UTF8.GetString(body.Length > MaxMessageChars ? body[..MaxMessageChars] : body);
        return new KubeStatus { Status = "Failure", Code = (int)code, Message = text.Length == 0 ? code.ToString() : text };
    }

    public static KubeApiException Create(HttpStatusCode code, KubeStatus status) => (status.Reason, (int)code) switch
    {
        ("AlreadyExists", _) => new KubeAlreadyExistsException(status, code),
        (_, 404) => new KubeNotFoundException(status, code),
        (_, 409) => new KubeConflictException(status, code),
        (_, 422) => new KubeInvalidException(status, code),
        (_, 403) => new KubeForbiddenException(status, code),
        (_, 401) => new KubeUnauthorizedException(status, code),
        (_, 429) => new KubeTooManyRequestsException(status, code),
        ("Expired" or "Gone", _) or (_, 410) => new KubeGoneException(status, code),
        _ => new KubeApiException(status, code),
    };
}
