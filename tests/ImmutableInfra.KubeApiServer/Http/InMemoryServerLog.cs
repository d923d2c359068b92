using Microsoft.Extensions.Logging;

namespace ImmutableInfra.KubeApiServer.Http;

/// <summary>Log messages of the in-memory API server.</summary>
internal static partial class InMemoryServerLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "In-memory Kubernetes API server listening on {Url}: for tests, the lab and benchmarks only, NOT for production")]
    public static partial void Started(ILogger logger, Uri url);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "{Method} {Path} -> {StatusCode} {Reason}")]
    public static partial void Failed(ILogger logger, string method, string path, int statusCode, string reason);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Registered CRD {Name}")]
    public static partial void CrdRegistered(ILogger logger, string name);
}
