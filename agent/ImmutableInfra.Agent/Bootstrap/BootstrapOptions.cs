namespace ImmutableInfra.Agent.Bootstrap;

/// <summary>Limits for running bootstrap data.</summary>
internal sealed record BootstrapOptions
{
    public const string SentinelPath = "/run/cluster-api/bootstrap-success.complete";

    /// <summary>Per command; kubeadm init pulls images, so this is generous but finite.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>Bytes kept from each end of a command's output.</summary>
    public int OutputEdgeBytes { get; init; } = 16 * 1024;

    /// <summary>Largest bootstrap document accepted (CAPI's own limit for user data is far below).</summary>
    public int MaxDataBytes { get; init; } = 4 * 1024 * 1024;
}
