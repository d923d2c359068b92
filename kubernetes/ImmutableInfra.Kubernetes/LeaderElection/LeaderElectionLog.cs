using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Kubernetes.LeaderElection;

/// <summary>Log messages of Lease leader election.</summary>
internal static partial class LeaderElectionLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "{Identity} acquired Lease {Namespace}/{Name} (transitions {Transitions})")]
    public static partial void Acquired(ILogger logger, string identity, string @namespace, string name, int transitions);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "{Identity} stepped down from Lease {Namespace}/{Name}: {Why}")]
    public static partial void SteppedDown(ILogger logger, string identity, string @namespace, string name, string why);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "New leader of Lease {Namespace}/{Name}: {Leader}")]
    public static partial void NewLeader(ILogger logger, string @namespace, string name, string leader);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "Lease {Namespace}/{Name} attempt by {Identity} failed")]
    public static partial void AttemptFailed(ILogger logger, Exception exception, string @namespace, string name, string identity);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "{Identity} released Lease {Namespace}/{Name}")]
    public static partial void Released(ILogger logger, string identity, string @namespace, string name);
}
