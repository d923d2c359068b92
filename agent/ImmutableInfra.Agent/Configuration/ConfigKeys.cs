namespace ImmutableInfra.Agent.Configuration;

/// <summary>The agent.yaml keys and their environment-variable names.</summary>
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

    /// <summary>"reconnectBackoff.min" becomes IMMUTABLEINFRA_AGENT_RECONNECT_BACKOFF_MIN.</summary>
    public static string EnvironmentName(string key)
    {
        var builder = new global::System.Text.StringBuilder(EnvironmentPrefix);
        foreach (var c in key)
        {
            if (c == '.')
            {
                builder.Append('_');
            }
            else if (char.IsUpper(c))
            {
                builder.Append('_').Append(c);
            }
            else
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.ToString();
    }
}
