namespace ImmutableInfra.Agent.Configuration;

/// <summary>The agent's configuration, bound from agent.yaml plus environment overrides and validated at start.</summary>
internal sealed record AgentOptions
{
    public const string DefaultPath = "/etc/immutableinfra/agent.yaml";

    public required Uri CoordinatorUrl { get; init; }

    public string? CaFile { get; init; }

    /// <summary>PEM client certificate presented to the coordinator (optional), with its key in <see cref="ClientKeyFile"/> or in the same file.</summary>
    public string? ClientCertificateFile { get; init; }

    public string? ClientKeyFile { get; init; }

    /// <summary>"namespace/name" of the MachineInventoryPool to join.</summary>
    public required string Pool { get; init; }

    public string? RegistrationToken { get; init; }

    public string? RegistrationTokenFile { get; init; }

    /// <summary>Plaintext gRPC; only honoured when set explicitly.</summary>
    public bool Insecure { get; init; }

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ReconnectBackoffMin { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectBackoffMax { get; init; } = TimeSpan.FromSeconds(60);

    public string StateDir { get; init; } = "/var/lib/immutableinfra";

    public string RootDir { get; init; } = "/";

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>by-id paths (or kernel names) of disks kept across machines: never wiped.</summary>
    public IReadOnlyList<string> PersistentDisks { get; init; } = [];

    public LogFormat LogFormat { get; init; } = LogFormat.Journald;
}
