using Microsoft.Extensions.Logging;

namespace ImmutableInfra.KubeApiServer.Http;

/// <summary>Log messages of the in-memory API server.</summary>
internal static partial class InMemoryServerLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "In-memory Kubernetes API server listening on {Url}: a test and lab server (no pods, no controllers, nothing persists), NOT for production")]
    public static partial void Started(ILogger logger, Uri url);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug, Message = "{Method} {Path} -> {StatusCode} {Reason}")]
    public static partial void Failed(ILogger logger, string method, string path, int statusCode, string reason);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "{Method} {Path} failed unexpectedly")]
    public static partial void Unexpected(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Pruned fields the CRD does not declare from {Kind} {Name}, as a real server does: {Fields} (written by {Manager})")]
    public static partial void Pruned(ILogger logger, string kind, string name, IReadOnlyList<string> fields, string manager);
}
