using ImmutableInfra.Contract.V1;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>Enrollment, Sync stream and convergence log events. None carries a token, credential or bootstrap data.</summary>
internal static partial class CoordinationLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Registering with pool {Pool}: system UUID {SystemUuid}, {MacCount} MACs, inventory {Fingerprint}")]
    public static partial void Registering(ILogger logger, string pool, string systemUuid, int macCount, string fingerprint);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Enrolled as {Namespace}/{Inventory}; credential stored in {Path}")]
    public static partial void Enrolled(ILogger logger, string @namespace, string inventory, string path);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Registration with pool {Pool} rejected ({Code}): {Reason}. An operator must act; retrying in {Delay}")]
    public static partial void RegistrationRejected(ILogger logger, string pool, StatusCode code, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Registration with pool {Pool} failed: {Reason}; retrying in {Delay}")]
    public static partial void RegistrationFailed(ILogger logger, string pool, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "Registration token unreadable: {Problem}; retrying in {Delay}")]
    public static partial void RegistrationTokenUnreadable(ILogger logger, string problem, TimeSpan delay);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Sync stream open as {Namespace}/{Inventory}: inventory {Fingerprint}, acknowledged generation {Generation}, phase {Phase}")]
    public static partial void StreamOpened(ILogger logger, string @namespace, string inventory, string fingerprint, long generation, HostPhase phase);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Sync stream ended: {Reason}; reconnecting in {Delay}")]
    public static partial void StreamEnded(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 4015, Level = LogLevel.Error, Message = "Sync stream failed with an unexpected {ExceptionType}; reconnecting with backoff")]
    public static partial void StreamFailedUnexpectedly(ILogger logger, Exception exception, string exceptionType);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Credential of {Namespace}/{Inventory} rejected ({Reason}); dropping it and enrolling again")]
    public static partial void CredentialRejected(ILogger logger, string @namespace, string inventory, string reason);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Information, Message = "Coordinator settings applied: heartbeat every {Heartbeat}")]
    public static partial void SettingsApplied(ILogger logger, TimeSpan heartbeat);

    [LoggerMessage(EventId = 4014, Level = LogLevel.Information, Message = "Sending inventory {Fingerprint} (requested by the coordinator: {Requested})")]
    public static partial void InventorySent(ILogger logger, string fingerprint, bool requested);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Desired state generation {Generation}: {Action}")]
    public static partial void DesiredStateReceived(ILogger logger, long generation, DesiredState.ActionOneofCase action);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Debug, Message = "Desired state generation {Generation} already handled (newest known {Newest}); not executed again")]
    public static partial void GenerationAlreadyHandled(ILogger logger, long generation, long newest);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Information, Message = "Generation {Generation}: provisioning machine {Machine} ({MachineUid})")]
    public static partial void ProvisionStarting(ILogger logger, long generation, string machine, string machineUid);

    [LoggerMessage(EventId = 4030, Level = LogLevel.Information, Message = "Generation {Generation}: already provisioned as machine {Machine}; acknowledged without running bootstrap again")]
    public static partial void AlreadyProvisioned(ILogger logger, long generation, string machine);

    [LoggerMessage(EventId = 4023, Level = LogLevel.Information, Message = "Generation {Generation}: resetting (machine {MachineUid})")]
    public static partial void ResetStarting(ILogger logger, long generation, string machineUid);

    [LoggerMessage(EventId = 4024, Level = LogLevel.Information, Message = "Generation {Generation} superseded by a newer one before anything ran")]
    public static partial void Superseded(ILogger logger, long generation);

    [LoggerMessage(EventId = 4025, Level = LogLevel.Information, Message = "Generation {Generation} acknowledged: {Phase} {FailureReason}")]
    public static partial void GenerationAcknowledged(ILogger logger, long generation, HostPhase phase, string failureReason);

    [LoggerMessage(EventId = 4026, Level = LogLevel.Warning, Message = "Generation {Generation} interrupted by shutdown; it resumes when the coordinator sends it again")]
    public static partial void ActionInterrupted(ILogger logger, long generation);

    [LoggerMessage(EventId = 4027, Level = LogLevel.Error, Message = "Generation {Generation} failed with an unexpected {ExceptionType}")]
    public static partial void ActionCrashed(ILogger logger, long generation, string exceptionType);

    [LoggerMessage(EventId = 4028, Level = LogLevel.Error, Message = "Could not save the converged state to {Path}: {Problem}")]
    public static partial void ConvergedStateNotSaved(ILogger logger, string path, string problem);

    [LoggerMessage(EventId = 4029, Level = LogLevel.Warning, Message = "Fetching bootstrap data for {MachineUid} failed: {Reason}; retrying in {Delay}")]
    public static partial void BootstrapFetchRetry(ILogger logger, string machineUid, string reason, TimeSpan delay);
}
