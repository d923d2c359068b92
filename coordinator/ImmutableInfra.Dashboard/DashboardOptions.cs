namespace ImmutableInfra.Dashboard;

/// <summary>Settings of one dashboard: where it listens, and the bounds of what it keeps and sends. Validated at start.</summary>
public sealed class DashboardOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; } = 8765;

    /// <summary>kubeconfig file; null means $KUBECONFIG or ~/.kube/config, as kubectl does.</summary>
    public string? Kubeconfig { get; set; }

    public string? Context { get; set; }

    /// <summary>Objects kept per kind; a list past it stops there (the page says so).</summary>
    public int MaxObjectsPerKind { get; set; } = 50_000;

    /// <summary>Events kept (Warnings and those about our kinds); the oldest are forgotten first.</summary>
    public int MaxEvents { get; set; } = 2_000;

    public int FailoversKeptPerCluster { get; set; } = 50;

    /// <summary>Browsers connected for live updates at once; one more gets 503 and its page polls instead.</summary>
    public int MaxLiveClients { get; set; } = 32;

    /// <summary>Messages queued per live client; a client that falls that far behind is told to resync.</summary>
    public int LiveClientQueue { get; set; } = 16;

    /// <summary>Changes are coalesced into at most one message per client per this interval.</summary>
    public TimeSpan LiveInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>timeoutSeconds of each watch request: the server ends the watch then and it is resumed.</summary>
    public int WatchTimeoutSeconds { get; set; } = 300;

    /// <summary>A watch that delivers nothing (not even a bookmark) this long is cut and resumed.</summary>
    public TimeSpan WatchIdleTimeout { get; set; } = TimeSpan.FromSeconds(330);

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How soon a resource RBAC forbade is tried again (a RoleBinding may have been added).</summary>
    public TimeSpan ForbiddenRetry { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan TokenRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Hosts per page by default, and the most a page may ask for.</summary>
    public int DefaultPageSize { get; set; } = 50;
    public int MaxPageSize { get; set; } = 200;

    public void Validate()
    {
        Check(Port is >= 0 and <= 65535, nameof(Port), "must be 0-65535");
        Check(MaxObjectsPerKind >= 1, nameof(MaxObjectsPerKind), "must be at least 1");
        Check(MaxEvents >= 10, nameof(MaxEvents), "must be at least 10");
        Check(FailoversKeptPerCluster >= 1, nameof(FailoversKeptPerCluster), "must be at least 1");
        Check(MaxLiveClients >= 1, nameof(MaxLiveClients), "must be at least 1");
        Check(LiveClientQueue >= 2, nameof(LiveClientQueue), "must be at least 2");
        Check(LiveInterval > TimeSpan.Zero, nameof(LiveInterval), "must be positive");
        Check(RequestTimeout > TimeSpan.Zero, nameof(RequestTimeout), "must be positive");
        Check(WatchTimeoutSeconds >= 1, nameof(WatchTimeoutSeconds), "must be at least 1");
        Check(WatchIdleTimeout > TimeSpan.FromSeconds(WatchTimeoutSeconds), nameof(WatchIdleTimeout), "must exceed WatchTimeoutSeconds");
        Check(InitialBackoff > TimeSpan.Zero && MaxBackoff >= InitialBackoff, nameof(MaxBackoff), "must be at least InitialBackoff (> 0)");
        Check(ForbiddenRetry > TimeSpan.Zero, nameof(ForbiddenRetry), "must be positive");
        Check(TokenRefresh > TimeSpan.Zero, nameof(TokenRefresh), "must be positive");
        Check(DefaultPageSize >= 1 && MaxPageSize >= DefaultPageSize, nameof(MaxPageSize), "must be at least DefaultPageSize (>= 1)");
    }

    private static void Check(bool ok, string name, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"dashboard option {name} {rule}", name);
        }
    }
}
