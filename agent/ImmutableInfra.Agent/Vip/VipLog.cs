using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Vip;

/// <summary>Log events of the control-plane VIP (60xx).</summary>
internal static partial class VipLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "VIP arbiter for Lease {LeaseNamespace}/{LeaseName}: {From} -> {To} ({Why}); VRRP {Eligibility}")]
    public static partial void StateChanged(ILogger logger, string leaseNamespace, string leaseName, ArbiterState from, ArbiterState to, string why, VrrpEligibility eligibility);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "No usable kubeconfig for the VIP Lease yet ({Problem})")]
    public static partial void NotConnected(ILogger logger, string problem);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Information, Message = "VIP Lease {LeaseNamespace}/{LeaseName}: talking to the local apiserver with {Kubeconfig}")]
    public static partial void Connected(ILogger logger, string leaseNamespace, string leaseName, string kubeconfig);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Error, Message = "Could not set VRRP eligibility {Eligibility}: {Problem}; retrying")]
    public static partial void GateFailed(ILogger logger, VrrpEligibility eligibility, string problem);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information, Message = "keepalived configuration for VIP {Vip} on {Interface} changed; {Action} {Unit}")]
    public static partial void ConfigApplied(ILogger logger, string vip, string @interface, string action, string unit);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Error, Message = "VIP role of {Cluster} not applied: {Problem}; retrying in {Delay}")]
    public static partial void RoleNotApplied(ILogger logger, string cluster, string problem, TimeSpan delay);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Information, Message = "VIP role of {Cluster} taken: VIP {Vip}, vrid {Vrid}, {Peers} peers, initializing {Initializing}")]
    public static partial void RoleTaken(ILogger logger, string cluster, string vip, uint vrid, int peers, bool initializing);

    [LoggerMessage(EventId = 6008, Level = LogLevel.Information, Message = "VIP role removed; keepalived stopped")]
    public static partial void RoleRemoved(ILogger logger);

    [LoggerMessage(EventId = 6009, Level = LogLevel.Error, Message = "VIP arbiter step failed; retrying")]
    public static partial void StepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6010, Level = LogLevel.Debug, Message = "VIP Lease {Operation} failed: {Problem}")]
    public static partial void RequestFailed(ILogger logger, string operation, string problem);

    [LoggerMessage(EventId = 6011, Level = LogLevel.Information, Message = "VIP Lease {LeaseNamespace}/{LeaseName} released")]
    public static partial void Released(ILogger logger, string leaseNamespace, string leaseName);
}
