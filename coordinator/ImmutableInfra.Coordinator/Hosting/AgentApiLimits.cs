namespace ImmutableInfra.Coordinator.Hosting;

/// <summary>
/// Every size, deadline and connection limit of the agent API in one place (gRPC and the Kestrel endpoint that
/// carries it). The defaults fit a replica serving 10,000 hosts; validated at start with the coordinator's options.
/// </summary>
internal sealed record AgentApiLimits
{
    /// <summary>Largest message accepted from an agent: an inventory of a large host is tens of KiB (the agent sends at most 4 MiB).</summary>
    public int MaxReceiveMessageBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Largest message sent: bootstrap data (4 MiB at most) plus its envelope (the agent accepts 8 MiB).</summary>
    public int MaxSendMessageBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>The longest a unary call may run, whatever deadline the client sent (or none).</summary>
    public TimeSpan UnaryDeadline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a Sync stream may stay open without its first message (the hello).</summary>
    public TimeSpan SyncFirstMessageDeadline { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>On stop, how long open calls get to finish after the Sync streams were ended.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Open TCP connections; each agent holds one.</summary>
    public long MaxConcurrentConnections { get; init; } = 20_000;

    /// <summary>Concurrent HTTP/2 streams per connection; an agent uses two at most (Sync and one unary call).</summary>
    public int MaxStreamsPerConnection { get; init; } = 100;

    /// <summary>
    /// Slowest request body accepted after <see cref="MinRequestBodyGracePeriod"/> on unary calls (a Register whose
    /// body never arrives); grpc-dotnet lifts it for streaming calls, which <see cref="SyncFirstMessageDeadline"/> bounds.
    /// </summary>
    public double MinRequestBodyBytesPerSecond { get; init; } = 240;

    public TimeSpan MinRequestBodyGracePeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a client may take to send its request headers.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Idle time before the server pings a connection; a peer that does not answer within the timeout is dropped.</summary>
    public TimeSpan KeepAlivePingDelay { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan KeepAlivePingTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Throws with the field's name when a limit cannot work.</summary>
    public void Validate()
    {
        static void Require(bool ok, string field, string problem)
        {
            if (!ok)
            {
                throw new ArgumentException($"agent-api {field}: {problem}");
            }
        }

        Require(MaxReceiveMessageBytes is >= 64 * 1024 and <= 64 * 1024 * 1024, "max-receive-message-bytes", "must be 64 KiB-64 MiB");
        Require(MaxSendMessageBytes is >= 64 * 1024 and <= 64 * 1024 * 1024, "max-send-message-bytes", "must be 64 KiB-64 MiB");
        Require(UnaryDeadline >= TimeSpan.FromSeconds(1), "unary-deadline", "must be at least 1s");
        Require(SyncFirstMessageDeadline >= TimeSpan.FromMilliseconds(100), "sync-first-message-deadline", "must be at least 100ms");
        Require(DrainTimeout >= TimeSpan.Zero && DrainTimeout <= TimeSpan.FromMinutes(5), "drain-timeout", "must be 0-5m");
        Require(MaxConcurrentConnections >= 1, "max-concurrent-connections", "must be positive");
        Require(MaxStreamsPerConnection >= 2, "max-streams-per-connection", "must be at least 2 (Sync and one call)");
        Require(MinRequestBodyBytesPerSecond > 0 && MinRequestBodyGracePeriod > TimeSpan.FromSeconds(1), "min-request-body-data-rate", "must be positive with a grace period over 1s (Kestrel)");
        Require(RequestHeadersTimeout >= TimeSpan.FromSeconds(1), "request-headers-timeout", "must be at least 1s");
        Require(KeepAlivePingDelay >= TimeSpan.FromSeconds(1) && KeepAlivePingTimeout >= TimeSpan.FromSeconds(1), "keepalive", "delay and timeout must be at least 1s");
    }
}
