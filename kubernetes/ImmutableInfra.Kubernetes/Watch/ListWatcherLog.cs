using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Kubernetes.Watch;

/// <summary>Log messages of the list+watch loop.</summary>
internal static partial class ListWatcherLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Listed {Count} {Resource} at resourceVersion {ResourceVersion}")]
    public static partial void Listed(ILogger logger, int count, string resource, string resourceVersion);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Watch of {Resource} expired at resourceVersion {ResourceVersion} (410 Gone): relisting")]
    public static partial void Relisting(ILogger logger, string resource, string? resourceVersion);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Watch of {Resource} sent an invalid line ({Count} so far): restarting from resourceVersion {ResourceVersion}")]
    public static partial void InvalidLine(ILogger logger, Exception exception, string resource, long count, string? resourceVersion);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "List/watch of {Resource} failed: retrying in {DelayMs} ms")]
    public static partial void Failed(ILogger logger, Exception exception, string resource, double delayMs);
}
