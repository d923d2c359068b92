using System.Net;
using System.Net.Http;

namespace ImmutableInfra.Grpc.Internal;

/// <summary>Maps transport outcomes to gRPC statuses, per the gRPC spec's HTTP-to-gRPC table and RST_STREAM codes.</summary>
internal static class StatusMapping
{
    public static StatusCode FromHttpStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => StatusCode.Internal,
        HttpStatusCode.Unauthorized => StatusCode.Unauthenticated,
        HttpStatusCode.Forbidden => StatusCode.PermissionDenied,
        HttpStatusCode.NotFound => StatusCode.Unimplemented,
        HttpStatusCode.TooManyRequests => StatusCode.Unavailable,
        HttpStatusCode.BadGateway => StatusCode.Unavailable,
        HttpStatusCode.ServiceUnavailable => StatusCode.Unavailable,
        HttpStatusCode.GatewayTimeout => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };

    public static StatusCode FromHttp2ErrorCode(long errorCode) => errorCode switch
    {
        0x0 => StatusCode.Internal,          // NO_ERROR before the stream ended
        0x7 => StatusCode.Unavailable,       // REFUSED_STREAM
        0x8 => StatusCode.Cancelled,         // CANCEL
        0xB => StatusCode.ResourceExhausted, // ENHANCE_YOUR_CALM
        0xC => StatusCode.PermissionDenied,  // INADEQUATE_SECURITY
        _ => StatusCode.Internal,
    };

    public static Status FromException(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case RpcException rpc:
                    return rpc.Status;
                case HttpProtocolException protocol:
                    return new Status(FromHttp2ErrorCode(protocol.ErrorCode), $"HTTP/2 stream error: {protocol.Message}");
            }
        }

        return exception switch
        {
            HttpRequestException http => new Status(StatusCode.Unavailable, $"Error connecting to the server: {WithCause(http)}"),
            IOException io => new Status(StatusCode.Unavailable, $"Error reading from the server: {WithCause(io)}"),
            _ => new Status(StatusCode.Internal, $"Error in the call: {WithCause(exception)}"),
        };
    }

    // HttpClient says "The SSL connection could not be established, see inner exception."; the
    // status detail is all a caller sees, so the innermost reason goes with it when it adds anything.
    private static string WithCause(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        return ReferenceEquals(innermost, exception) || exception.Message.Contains(innermost.Message, StringComparison.Ordinal)
            ? exception.Message
            : $"{exception.Message} ({innermost.Message})";
    }
}
