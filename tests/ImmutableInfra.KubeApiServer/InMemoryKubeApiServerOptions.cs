using System.Net;

namespace ImmutableInfra.KubeApiServer;

/// <summary>Settings of the in-memory API server; validated at start.</summary>
public sealed class InMemoryKubeApiServerOptions
{
    public IPAddress Address { get; set; } = IPAddress.Loopback;

    /// <summary>0 picks a free port (tests); the lab uses a fixed one.</summary>
    public int Port { get; set; }

    /// <summary>Serve HTTPS with a self-signed certificate (its PEM is the kubeconfig's CA).</summary>
    public bool Https { get; set; }

    /// <summary>Accepted bearer tokens; empty accepts anonymous requests.</summary>
    public IList<string> BearerTokens { get; } = [];

    /// <summary>Events kept for watch resumption; a watch from an older resourceVersion gets 410 Gone.</summary>
    public int CompactionWindow { get; set; } = 10_000;

    /// <summary>Paged list snapshots kept for continue tokens.</summary>
    public int MaxListSnapshots { get; set; } = 64;

    /// <summary>Events queued per watch before a slow watcher is disconnected (it then resumes).</summary>
    public int WatchQueueCapacity { get; set; } = 100_000;

    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest watch when the client sends no timeoutSeconds.</summary>
    public TimeSpan DefaultWatchTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Largest request body (the real server's limit is 3 MiB).</summary>
    public int MaxRequestBodyBytes { get; set; } = 3 * 1024 * 1024;

    /// <summary>Serve Cluster API's Cluster, Machine, MachineDeployment, KubeadmControlPlane and KubeadmConfigTemplate from the bundled test-fixture CRDs.</summary>
    public bool IncludeCapiCrds { get; set; } = true;

    /// <summary>
    /// Answer with the API Priority and Fairness response headers, as a real API server does by default; off
    /// stands for an old or APF-disabled server, where clients keep their own rate limit.
    /// </summary>
    public bool PriorityAndFairnessHeaders { get; set; } = true;

    /// <summary>CRD YAML files (multi-document allowed) registered at start.</summary>
    public IList<string> CrdFiles { get; } = [];

    public void Validate()
    {
        Check(Port is >= 0 and <= 65535, nameof(Port));
        Check(CompactionWindow >= 1, nameof(CompactionWindow));
        Check(MaxListSnapshots >= 1, nameof(MaxListSnapshots));
        Check(WatchQueueCapacity >= 16, nameof(WatchQueueCapacity));
        Check(BookmarkInterval > TimeSpan.Zero, nameof(BookmarkInterval));
        Check(DefaultWatchTimeout > TimeSpan.Zero, nameof(DefaultWatchTimeout));
        Check(MaxRequestBodyBytes >= 1024, nameof(MaxRequestBodyBytes));
    }

    private static void Check(bool ok, string name)
    {
        if (!ok)
        {
            throw new ArgumentException($"InMemoryKubeApiServerOptions.{name} is out of range", name);
        }
    }
}
