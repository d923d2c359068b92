namespace ImmutableInfra.Grpc;

/// <summary>Header names and values fixed by the gRPC over HTTP/2 protocol.</summary>
public static class GrpcProtocol
{
    /// <summary>The content type of every gRPC request and response.</summary>
    public const string ContentType = "application/grpc";

    /// <summary>Trailer (or trailers-only header) carrying the numeric status.</summary>
    public const string StatusHeader = "grpc-status";

    /// <summary>Trailer carrying the percent-encoded status detail.</summary>
    public const string MessageHeader = "grpc-message";

    /// <summary>Request header carrying the remaining time of the call.</summary>
    public const string TimeoutHeader = "grpc-timeout";

    /// <summary>Header naming the compression of the sender's messages.</summary>
    public const string EncodingHeader = "grpc-encoding";

    /// <summary>Header listing the compressions the sender accepts.</summary>
    public const string AcceptEncodingHeader = "grpc-accept-encoding";

    /// <summary>Suffix of metadata keys whose values are binary (base64 on the wire).</summary>
    public const string BinaryHeaderSuffix = "-bin";

    /// <summary>The default maximum size of a received message: 4 MiB, as in every gRPC implementation.</summary>
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    /// <summary>Whether <paramref name="contentType"/> is a gRPC content type (application/grpc, +proto, ;params).</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (contentType.Length == ContentType.Length)
        {
            return true;
        }

        var next = contentType[ContentType.Length];
        return next is '+' or ';';
    }

    /// <summary>Whether <paramref name="key"/> is a header the protocol owns rather than user metadata.</summary>
    public static bool IsReservedHeader(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith("grpc-", StringComparison.OrdinalIgnoreCase)
            || key.StartsWith(':')
            || key.Equals("content-type", StringComparison.OrdinalIgnoreCase)
            || key.Equals("te", StringComparison.OrdinalIgnoreCase)
            || key.Equals("host", StringComparison.OrdinalIgnoreCase)
            || key.Equals("user-agent", StringComparison.OrdinalIgnoreCase)
            || key.Equals("content-length", StringComparison.OrdinalIgnoreCase)
            || key.Equals("connection", StringComparison.OrdinalIgnoreCase)
            || key.Equals("transfer-encoding", StringComparison.OrdinalIgnoreCase)
            || key.Equals("date", StringComparison.OrdinalIgnoreCase)
            || key.Equals("server", StringComparison.OrdinalIgnoreCase)
            || key.Equals("trailer", StringComparison.OrdinalIgnoreCase);
    }
}
