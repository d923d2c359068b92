using System.Net;

namespace ImmutableInfra.Coordinator.Hosting;

/// <summary>The coordinator's settings, from the command line and environment, validated at start.</summary>
internal sealed record CoordinatorOptions
{
    /// <summary>Where the leader-election Lease and the replicas' Leases live.</summary>
    public string Namespace { get; init; } = "immutableinfra-system";

    /// <summary>This replica's name in Leases and in <c>status.connectedTo</c>; unique per process.</summary>
    public string ReplicaId { get; init; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..6]}";

    public IPEndPoint AgentApiEndpoint { get; init; } = new(IPAddress.Any, 9443);

    public IPEndPoint HttpEndpoint { get; init; } = new(IPAddress.Any, 8080);

    public string? TlsCertificateFile { get; init; }

    public string? TlsPrivateKeyFile { get; init; }

    /// <summary>Serve the agent API without TLS (lab and tests only).</summary>
    public bool Insecure { get; init; }

    /// <summary>Run the controllers only while holding the leader Lease. Off only to prove claims stay atomic without it.</summary>
    public bool LeaderElect { get; init; } = true;

    /// <summary>Stop on SIGTERM and SIGINT (the <c>serve</c> command); replicas hosted in the lab or tests leave signals to their program.</summary>
    public bool StopOnSignals { get; init; }

    /// <summary>
    /// On stop, how long the replica keeps its listeners open after it reported not ready, so the Service's endpoints
    /// drop it before new connections would be refused (Sync streams are ended at once either way).
    /// </summary>
    public TimeSpan ShutdownDelay { get; init; }

    /// <summary>Run controllers at all (a replica may serve only agents).</summary>
    public bool RunControllers { get; init; } = true;

    /// <summary>A host is Offline after this long without a Sync stream.</summary>
    public TimeSpan OfflineGracePeriod { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a replica's Lease lasts; a dead replica's streams count as gone after it expires.</summary>
    public TimeSpan ReplicaLeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The heartbeat interval told to agents.</summary>
    public TimeSpan AgentHeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest reconnect backoff agents use: long enough that a fleet returning after an outage spreads out.</summary>
    public TimeSpan AgentMaxReconnectBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Registrations accepted per second (sustained) by this replica; more get RESOURCE_EXHAUSTED.</summary>
    public double RegistrationsPerSecond { get; init; } = 50;

    public int RegistrationBurst { get; init; } = 200;

    /// <summary>
    /// Registrations accepted per second from one source address (an IPv6 /64), counted before the token is checked,
    /// so a flood from one address spends only its own budget. A real host registers once per install; the burst
    /// lets a rack behind one NAT enroll at once.
    /// </summary>
    public double RegistrationsPerSecondPerSource { get; init; } = 10;

    public int RegistrationBurstPerSource { get; init; } = 50;

    /// <summary>
    /// API writes per second one host's Sync stream may cause (sustained); reports beyond it are coalesced into the
    /// next write, the latest always kept, so a host changing state in a loop costs a bounded write rate.
    /// </summary>
    public double HostWritesPerSecond { get; init; } = 2;

    public int HostWriteBurst { get; init; } = 10;

    /// <summary>
    /// Workers per controller. Reconciles wait on API round trips, not on CPU: with 4, a burst of 500 new machines
    /// queued behind each other for seconds (coordinator scale benchmark, docs/benchmarks.md).
    /// </summary>
    public int ReconcileConcurrency { get; init; } = 16;

    /// <summary>Kubernetes API requests per second for controllers (leases use their own client).</summary>
    public double ApiQps { get; init; } = 200;

    public int ApiBurst { get; init; } = 400;

    /// <summary>When <see cref="ApiQps"/>/<see cref="ApiBurst"/> apply; see <see cref="ApiRateLimit"/>.</summary>
    public ApiRateLimit ApiRateLimit { get; init; } = ApiRateLimit.Auto;

    /// <summary>Sizes, deadlines and connection limits of the agent API.</summary>
    public AgentApiLimits AgentApiLimits { get; init; } = new();

    /// <summary>Throws with the field's name when a setting cannot work.</summary>
    public void Validate()
    {
        static void Require(bool ok, string field, string problem)
        {
            if (!ok)
            {
                throw new ArgumentException($"{field}: {problem}");
            }
        }

        Require(!string.IsNullOrWhiteSpace(Namespace), "namespace", "must be set");
        Require(!string.IsNullOrWhiteSpace(ReplicaId) && ReplicaId.Length <= 200, "replica-id", "must be 1-200 characters");
        Require(Insecure || (TlsCertificateFile is not null && TlsPrivateKeyFile is not null), "tls-cert-file/tls-key-file",
            "the agent API serves TLS; give both files, or --insecure for a lab");
        Require(OfflineGracePeriod >= TimeSpan.FromSeconds(1), "offline-grace-period", "must be at least 1s");
        Require(ReplicaLeaseDuration >= TimeSpan.FromSeconds(1), "replica-lease-duration", "must be at least 1s");
        Require(AgentHeartbeatInterval >= TimeSpan.FromMilliseconds(100), "agent-heartbeat-interval", "must be at least 100ms");
        Require(AgentMaxReconnectBackoff >= TimeSpan.FromSeconds(1), "agent-max-reconnect-backoff", "must be at least 1s");
        Require(RegistrationsPerSecond > 0 && RegistrationBurst >= 1, "registration-rate", "must be positive");
        Require(RegistrationsPerSecondPerSource > 0 && RegistrationBurstPerSource >= 1, "registration-rate-per-source", "must be positive");
        Require(HostWritesPerSecond > 0 && HostWriteBurst >= 1, "host-write-rate", "must be positive");
        Require(ReconcileConcurrency is >= 1 and <= 64, "reconcile-concurrency", "must be 1-64");
        Require(ApiQps > 0 && ApiBurst >= 1, "api-qps", "must be positive");
        Require(Enum.IsDefined(ApiRateLimit), "kube-api-rate-limit", "must be auto, always or off");
        Require(ShutdownDelay >= TimeSpan.Zero && ShutdownDelay <= TimeSpan.FromMinutes(1), "shutdown-delay", "must be 0-1m");
        AgentApiLimits.Validate();
    }
}

/// <summary>When the coordinator limits its own Kubernetes API requests.</summary>
internal enum ApiRateLimit
{
    /// <summary>
    /// Only while the API server does not report Priority and Fairness. With it (every supported Kubernetes), the server
    /// queues and sheds load per flow and we retry its 429s; a fixed client budget would only hold a burst of new
    /// machines back (500 machines need ~2,500 requests before their last bootstrap delivery).
    /// </summary>
    Auto,

    /// <summary>Always, for API servers shared with clients that Priority and Fairness does not separate well.</summary>
    Always,

    /// <summary>Never.</summary>
    Off,
}
