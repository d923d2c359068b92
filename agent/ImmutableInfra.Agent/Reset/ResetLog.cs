using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Reset;

/// <summary>Reset and wipe log events.</summary>
internal static partial class ResetLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Disk {Disk} not wiped: {Reason}")]
    public static partial void DiskSkipped(ILogger logger, string disk, string reason);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Wiping disk {Disk} with policy {Policy}")]
    public static partial void DiskWipeStarted(ILogger logger, string disk, ImmutableInfra.Contract.V1.WipePolicy policy);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Wiping disk {Disk} failed: {Reason}")]
    public static partial void DiskWipeFailed(ILogger logger, string disk, string reason);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Disk {Disk} wiped")]
    public static partial void DiskWiped(ILogger logger, string disk);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Discard of disk {Disk} failed with exit code {ExitCode}; zeroing instead")]
    public static partial void DiscardFailed(ILogger logger, string disk, int exitCode);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Reset step {Step}")]
    public static partial void StepStarted(ILogger logger, string step);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "kubeadm reset exited with code {ExitCode} (timed out: {TimedOut}); removing state anyway")]
    public static partial void KubeadmResetFailed(ILogger logger, int exitCode, bool timedOut);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Error, Message = "Reset failed: {Reason}")]
    public static partial void Failed(ILogger logger, string reason);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Reset complete")]
    public static partial void Complete(ILogger logger);
}
