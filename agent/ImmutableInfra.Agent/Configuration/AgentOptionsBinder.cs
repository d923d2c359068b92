using Microsoft.Extensions.Configuration;

namespace ImmutableInfra.Agent.Configuration;

/// <summary>Binds the agent's configuration (agent.yaml under the environment) to validated <see cref="AgentOptions"/>.</summary>
/// <remarks>
/// By hand rather than with the configuration binder: durations are written 500ms, 30s or 5m (the binder only parses
/// TimeSpan's 00:00:30), and every bad value must come back as a problem naming its field, not as the first exception.
/// </remarks>
internal static class AgentOptionsBinder
{
    public static AgentOptions? Bind(IConfiguration scalars, List<ConfigIssue> errors, List<ConfigIssue> warnings)
    {
        var insecure = ParseBool(scalars, ConfigKeys.Insecure, errors);
        var url = ParseUrl(scalars, insecure, errors);
        var pool = Get(scalars, ConfigKeys.Pool);
        if (pool is null)
        {
            errors.Add(new ConfigIssue(ConfigKeys.Pool, "is required (namespace/name of a MachineInventoryPool)"));
        }
        else if (pool.Split('/') is not [{ Length: > 0 }, { Length: > 0 }])
        {
            errors.Add(new ConfigIssue(ConfigKeys.Pool, $"'{pool}' must be namespace/name"));
        }

        var caFile = Get(scalars, ConfigKeys.CaFile);
        if (caFile is not null && !File.Exists(caFile))
        {
            errors.Add(new ConfigIssue(ConfigKeys.CaFile, $"file {caFile} does not exist"));
        }

        var clientCertificate = Get(scalars, ConfigKeys.ClientCertificateFile);
        var clientKey = Get(scalars, ConfigKeys.ClientKeyFile);
        foreach (var (key, file) in new[] { (ConfigKeys.ClientCertificateFile, clientCertificate), (ConfigKeys.ClientKeyFile, clientKey) })
        {
            if (file is not null && !File.Exists(file))
            {
                errors.Add(new ConfigIssue(key, $"file {file} does not exist"));
            }
        }

        var token = Get(scalars, ConfigKeys.RegistrationToken);
        var tokenFile = Get(scalars, ConfigKeys.RegistrationTokenFile);
        ValidateToken(token, tokenFile, errors, warnings);

        var heartbeat = ParseDuration(scalars, ConfigKeys.HeartbeatInterval, TimeSpan.FromSeconds(30), errors);
        var backoffMin = ParseDuration(scalars, ConfigKeys.ReconnectBackoffMin, TimeSpan.FromSeconds(1), errors);
        var backoffMax = ParseDuration(scalars, ConfigKeys.ReconnectBackoffMax, TimeSpan.FromSeconds(60), errors);
        if (backoffMax < backoffMin)
        {
            errors.Add(new ConfigIssue(ConfigKeys.ReconnectBackoffMax, "must not be smaller than reconnectBackoff.min"));
        }

        var stateDir = ParseAbsolutePath(scalars, ConfigKeys.StateDir, "/var/lib/immutableinfra", errors);
        var rootDir = ParseAbsolutePath(scalars, ConfigKeys.RootDir, "/", errors);
        var logFormat = Get(scalars, ConfigKeys.LogFormat) switch
        {
            null or "journald" or "text" => LogFormat.Journald,
            "json" => LogFormat.Json,
            var other => Invalid(ConfigKeys.LogFormat, $"'{other}' is not one of journald, text, json", errors),
        };

        if (errors.Count > 0 || url is null || pool is null)
        {
            return null;
        }

        return new AgentOptions
        {
            CoordinatorUrl = url,
            CaFile = caFile,
            ClientCertificateFile = clientCertificate,
            ClientKeyFile = clientKey,
            Pool = pool,
            RegistrationToken = token,
            RegistrationTokenFile = tokenFile,
            Insecure = insecure,
            HeartbeatInterval = heartbeat,
            ReconnectBackoffMin = backoffMin,
            ReconnectBackoffMax = backoffMax,
            StateDir = stateDir,
            RootDir = rootDir,
            Labels = scalars.GetSection(ConfigKeys.Labels).GetChildren().ToDictionary(l => l.Key, l => l.Value ?? string.Empty, StringComparer.Ordinal),
            PersistentDisks = [.. scalars.GetSection(ConfigKeys.PersistentDisks).GetChildren().Select(d => d.Value).OfType<string>()],
            LogFormat = logFormat,
        };
    }

    private static string? Get(IConfiguration scalars, string key) =>
        scalars[ConfigKeys.PathOf(key)] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static LogFormat Invalid(string field, string problem, List<ConfigIssue> errors)
    {
        errors.Add(new ConfigIssue(field, problem));
        return LogFormat.Journald;
    }

    private static Uri? ParseUrl(IConfiguration scalars, bool insecure, List<ConfigIssue> errors)
    {
        var text = Get(scalars, ConfigKeys.CoordinatorUrl);
        if (text is null)
        {
            errors.Add(new ConfigIssue(ConfigKeys.CoordinatorUrl, "is required"));
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            errors.Add(new ConfigIssue(ConfigKeys.CoordinatorUrl, $"'{text}' is not an http(s) URL"));
            return null;
        }

        if (url.Scheme == "http" && !insecure)
        {
            errors.Add(new ConfigIssue(ConfigKeys.CoordinatorUrl, "plaintext http requires insecure: true"));
            return null;
        }

        return url;
    }

    private static void ValidateToken(string? token, string? tokenFile, List<ConfigIssue> errors, List<ConfigIssue> warnings)
    {
        if (token is not null && tokenFile is not null)
        {
            errors.Add(new ConfigIssue(ConfigKeys.RegistrationToken, "set registrationToken or registrationTokenFile, not both"));
            return;
        }

        if (token is null && tokenFile is null)
        {
            errors.Add(new ConfigIssue(ConfigKeys.RegistrationToken, "one of registrationToken or registrationTokenFile is required"));
            return;
        }

        if (tokenFile is null)
        {
            return;
        }

        if (!File.Exists(tokenFile))
        {
            errors.Add(new ConfigIssue(ConfigKeys.RegistrationTokenFile, $"file {tokenFile} does not exist"));
        }
        else if ((File.GetUnixFileMode(tokenFile) & UnixFileMode.OtherRead) != 0)
        {
            warnings.Add(new ConfigIssue(ConfigKeys.RegistrationTokenFile, $"{tokenFile} is world-readable; chmod 0600 it"));
        }
    }

    private static bool ParseBool(IConfiguration scalars, string key, List<ConfigIssue> errors)
    {
        var text = Get(scalars, key);
        if (text is null)
        {
            return false;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        errors.Add(new ConfigIssue(key, $"'{text}' is not true or false"));
        return false;
    }

    private static TimeSpan ParseDuration(IConfiguration scalars, string key, TimeSpan fallback, List<ConfigIssue> errors)
    {
        var text = Get(scalars, key);
        if (text is null)
        {
            return fallback;
        }

        if (!DurationParser.TryParse(text, out var value) || value <= TimeSpan.Zero)
        {
            errors.Add(new ConfigIssue(key, $"'{text}' is not a positive duration such as 500ms, 30s or 5m"));
            return fallback;
        }

        return value;
    }

    private static string ParseAbsolutePath(IConfiguration scalars, string key, string fallback, List<ConfigIssue> errors)
    {
        var text = Get(scalars, key);
        if (text is null)
        {
            return fallback;
        }

        if (!text.StartsWith('/'))
        {
            errors.Add(new ConfigIssue(key, $"'{text}' must be an absolute path"));
        }

        return text;
    }
}
