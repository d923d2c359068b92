using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Kubernetes.Queue;

/// <summary>Log messages of the queue workers.</summary>
internal static partial class WorkQueueLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Processing {Item} failed (attempt {Failures}); requeued with backoff")]
    public static partial void Failed(ILogger logger, Exception exception, string item, int failures);
}
