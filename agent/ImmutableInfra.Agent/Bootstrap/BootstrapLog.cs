using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Bootstrap;

/// <summary>Bootstrap log events. Names, counts and reasons only: never file contents or command output.</summary>
internal static partial class BootstrapLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Bootstrap of machine {MachineUid} already complete: the sentinel exists")]
    public static partial void AlreadyComplete(ILogger logger, string machineUid);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Bootstrap of machine {MachineUid}: {TotalSteps} steps, resuming after step {CompletedSteps}")]
    public static partial void Starting(ILogger logger, string machineUid, int totalSteps, int completedSteps);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information, Message = "Bootstrap step {Step}/{TotalSteps} {StepName}")]
    public static partial void StepStarted(ILogger logger, int step, int totalSteps, string stepName);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Error, Message = "Bootstrap of machine {MachineUid} failed: {Reason}")]
    public static partial void Failed(ILogger logger, string machineUid, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Bootstrap of machine {MachineUid} succeeded")]
    public static partial void Succeeded(ILogger logger, string machineUid);
}
