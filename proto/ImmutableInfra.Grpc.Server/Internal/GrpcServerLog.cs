using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Grpc.Server.Internal;

/// <summary>Log events of the gRPC server. Never logs message payloads or metadata values.</summary>
internal static partial class GrpcServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "gRPC server listening on {Address}")]
    public static partial void Listening(ILogger logger, string address);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Unsupported content type '{ContentType}' for {Path}; answered 415")]
    public static partial void UnsupportedContentType(ILogger logger, string? contentType, string path);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Unknown method {Path}; answered UNIMPLEMENTED")]
    public static partial void UnknownMethod(ILogger logger, string path);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Unsupported request grpc-encoding '{Encoding}' for {Path}")]
    public static partial void UnsupportedEncoding(ILogger logger, string encoding, string path);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Invalid grpc-timeout '{Timeout}' for {Path}; ignored")]
    public static partial void InvalidTimeout(ILogger logger, string timeout, string path);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "Deadline exceeded for {Path}")]
    public static partial void DeadlineExceeded(ILogger logger, string path);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Call {Path} cancelled by the client")]
    public static partial void CallCancelled(ILogger logger, string path);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Handler of {Path} threw; answered {StatusCode}")]
    public static partial void HandlerFailed(ILogger logger, string path, StatusCode statusCode, Exception exception);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "Call {Path} ended with {StatusCode}")]
    public static partial void CallFailed(ILogger logger, string path, StatusCode statusCode);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Request over HTTP/1.x for {Path}; answered 426")]
    public static partial void NotHttp2(ILogger logger, string path);
}
