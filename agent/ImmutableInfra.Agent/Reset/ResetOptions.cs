namespace ImmutableInfra.Agent.Reset;

/// <summary>What a reset removes and keeps.</summary>
internal sealed record ResetOptions
{
    /// <summary>Kubernetes, etcd and CNI state, and CAPI's bootstrap traces (host paths under the root).</summary>
    public IReadOnlyList<string> StatePaths { get; init; } =
    [
        "/etc/kubernetes", "/var/lib/kubelet", "/var/lib/etcd", "/etc/cni/net.d", "/var/lib/cni", "/run/cluster-api",
        "/run/kubeadm", "/var/lib/calico", "/run/calico", "/run/flannel",
    ];

    /// <summary>Where kubeadm may be installed, host paths.</summary>
    public IReadOnlyList<string> KubeadmPaths { get; init; } = ["/usr/bin/kubeadm", "/usr/local/bin/kubeadm", "/opt/bin/kubeadm"];

    public TimeSpan KubeadmResetTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>by-id paths or kernel names of disks kept across machines (from the agent config).</summary>
    public IReadOnlyList<string> PersistentDisks { get; init; } = [];
}
