using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>Host service log events.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Inventory read: {Disks} disks, {Nics} NICs, {Threads} CPU threads, fingerprint {Fingerprint}")]
    public static partial void InventoryRead(ILogger logger, int disks, int nics, uint threads, string fingerprint);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Agent ready, coordinator {Coordinator}, pool {Pool}, watchdog {Watchdog}")]
    public static partial void Ready(ILogger logger, Uri coordinator, string pool, TimeSpan? watchdog);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Agent stopping")]
    public static partial void Stopping(ILogger logger);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Configuration {Field}: {Problem}")]
    public static partial void ConfigWarning(ILogger logger, string field, string problem);
}
