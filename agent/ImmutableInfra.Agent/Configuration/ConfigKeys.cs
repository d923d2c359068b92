namespace ImmutableInfra.Agent.Configuration;

/// <summary>The agent.yaml keys, as errors name them; the environment overrides them under <see cref="EnvironmentPrefix"/>.</summary>
internal static class ConfigKeys
{
    public const string EnvironmentPrefix = "IMMUTABLEINFRA_AGENT_";

    public const string CoordinatorUrl = "coordinatorUrl";
    public const string CaFile = "caFile";
    public const string ClientCertificateFile = "clientCertificateFile";
    public const string ClientKeyFile = "clientKeyFile";
    public const string Pool = "pool";
    public const string RegistrationToken = "registrationToken";
    public const string RegistrationTokenFile = "registrationTokenFile";
    public const string Insecure = "insecure";
    public const string HeartbeatInterval = "heartbeatInterval";
    public const string ReconnectBackoff = "reconnectBackoff";
    public const string ReconnectBackoffMin = "reconnectBackoff.min";
    public const string ReconnectBackoffMax = "reconnectBackoff.max";
    public const string StateDir = "stateDir";
    public const string RootDir = "rootDir";
    public const string Labels = "labels";
    public const string PersistentDisks = "persistentDisks";
    public const string LogFormat = "logFormat";

    /// <summary>Scalar keys (dotted for nested ones); labels and persistentDisks are collections.</summary>
    public static readonly IReadOnlyList<string> Scalars =
    [
        CoordinatorUrl, CaFile, ClientCertificateFile, ClientKeyFile, Pool, RegistrationToken, RegistrationTokenFile, Insecure, HeartbeatInterval,
        ReconnectBackoffMin, ReconnectBackoffMax, StateDir, RootDir, LogFormat,
    ];

    /// <summary>"reconnectBackoff.min" (as errors name it) is "reconnectBackoff:min" in the configuration.</summary>
    public static string PathOf(string key) => key.Replace('.', ':');
}
