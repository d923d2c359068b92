using ImmutableInfra.Agent.Configuration;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>
/// Timings and bounds of the coordinator link. Heartbeat and reconnect backoff come from agent.yaml;
/// the rest are fixed defaults that tests shorten. Validated when the link is built.
/// </summary>
internal sealed record CoordinationOptions
{
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ReconnectBackoffMin { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectBackoffMax { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Deadline of Register and FetchBootstrapData.</summary>
    public TimeSpan UnaryCallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Wait after a registration the coordinator refused (wrong token, unknown pool, duplicate
    /// identity): an operator has to act, so hammering the coordinator would only fill its logs.
    /// </summary>
    public TimeSpan RejectedRegistrationRetry { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the inventory is re-read to notice hardware or address changes.</summary>
    public TimeSpan InventoryRefreshInterval { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>A stream that lived this long counts as healthy: the next reconnect starts at the minimum backoff again.</summary>
    public TimeSpan HealthyStreamDuration { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Least time between two state messages that differ only in progress (a full wipe reports every
    /// MiB); changes of phase or generation are sent at once.
    /// </summary>
    public TimeSpan MinProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Bound on opening a TCP (and TLS) connection to the coordinator.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Idle time on an open stream before an HTTP/2 ping checks that the coordinator is still there.</summary>
    public TimeSpan KeepAlivePingDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a ping may go unanswered before the connection (and the stream) counts as dead.</summary>
    public TimeSpan KeepAlivePingTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Largest message accepted from the coordinator: bootstrap data (4 MiB at most) plus its envelope.</summary>
    public int MaxReceiveMessageBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Largest message sent; an inventory of a large host is a few tens of KiB.</summary>
    public int MaxSendMessageBytes { get; init; } = 4 * 1024 * 1024;

    public static CoordinationOptions From(AgentOptions options) => new()
    {
        HeartbeatInterval = options.HeartbeatInterval,
        ReconnectBackoffMin = options.ReconnectBackoffMin,
        ReconnectBackoffMax = options.ReconnectBackoffMax,
    };

    /// <summary>Throws listing every invalid setting.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        Positive(HeartbeatInterval, nameof(HeartbeatInterval), problems);
        Positive(ReconnectBackoffMin, nameof(ReconnectBackoffMin), problems);
        Positive(UnaryCallTimeout, nameof(UnaryCallTimeout), problems);
        Positive(RejectedRegistrationRetry, nameof(RejectedRegistrationRetry), problems);
        Positive(InventoryRefreshInterval, nameof(InventoryRefreshInterval), problems);
        Positive(HealthyStreamDuration, nameof(HealthyStreamDuration), problems);
        Positive(ConnectTimeout, nameof(ConnectTimeout), problems);
        Positive(KeepAlivePingDelay, nameof(KeepAlivePingDelay), problems);
        Positive(KeepAlivePingTimeout, nameof(KeepAlivePingTimeout), problems);
        if (MinProgressInterval < TimeSpan.Zero)
        {
            problems.Add($"{nameof(MinProgressInterval)} must not be negative");
        }

        if (ReconnectBackoffMax < ReconnectBackoffMin)
        {
            problems.Add($"{nameof(ReconnectBackoffMax)} must not be smaller than {nameof(ReconnectBackoffMin)}");
        }

        if (MaxReceiveMessageBytes <= 0 || MaxSendMessageBytes <= 0)
        {
            problems.Add("message size bounds must be positive");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid coordination options: " + string.Join("; ", problems));
        }
    }

    private static void Positive(TimeSpan value, string name, List<string> problems)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"{name} must be positive");
        }
    }
}
