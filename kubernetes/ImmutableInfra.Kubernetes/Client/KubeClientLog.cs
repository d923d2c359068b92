using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>Log messages of the REST client (never tokens, never bodies).</summary>
internal static partial class KubeClientLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Retrying {Method} {Path} after {StatusCode} (attempt {Attempt}) in {DelayMs} ms")]
    public static partial void RetryingStatus(ILogger logger, string method, string path, int statusCode, int attempt, double delayMs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Retrying {Method} {Path} after {Failure} (attempt {Attempt}) in {DelayMs} ms")]
    public static partial void RetryingFailure(ILogger logger, string method, string path, string failure, int attempt, double delayMs);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "{Method} {Path} failed after {Attempts} attempts: {Failure}")]
    public static partial void GaveUp(ILogger logger, string method, string path, int attempts, string failure);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "API server {Server} reports Priority and Fairness: {Present}; client-side rate limit suspended while it does")]
    public static partial void ServerFlowControl(ILogger logger, Uri server, bool present);
}
