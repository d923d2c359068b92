using k8s;

namespace ImmutableInfra.Agent.Vip;

/// <summary>The real <see cref="ILeaseApiConnector"/>: kubeadm's kubeconfig on this host, a KubernetesClient of the arbiter's own.</summary>
internal sealed class KubeconfigLeaseApiConnector(VipOptions options, Func<string, bool>? fileExists = null) : ILeaseApiConnector
{
    private readonly Func<string, bool> _exists = fileExists ?? File.Exists;

    /// <summary>
    /// On Kubernetes >= 1.29 admin.conf is only authorised once `kubeadm init` has bound kubeadm:cluster-admins,
    /// so the initializing host uses super-admin.conf (system:masters), which only that host has. Every other
    /// host, and the first one once the coordinator clears <c>initializing</c>, uses admin.conf.
    /// </summary>
    public static string? ChoosePath(VipOptions options, bool initializing, Func<string, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(exists);
        if (initializing && exists(options.SuperAdminKubeconfigPath))
        {
            return options.SuperAdminKubeconfigPath;
        }

        return exists(options.AdminKubeconfigPath) ? options.AdminKubeconfigPath : null;
    }

    public LeaseApi? TryConnect(bool initializing, string leaseNamespace, string leaseName)
    {
        var path = ChoosePath(options, initializing, _exists);
        if (path is null)
        {
            return null;
        }

        return Open(KubernetesClientConfiguration.BuildConfigFromConfigFile(path), options, leaseNamespace, leaseName);
    }

    /// <summary>
    /// A client and HttpClient of the arbiter's own (its own connections, no rate limiter: KubernetesClient has
    /// none, and no retries: it has none either). Each request is bounded by the arbiter's token, the time left
    /// before its renew deadline; the HttpClient timeout, the Lease duration, is only an outer bound.
    /// </summary>
    public static LeaseApi Open(KubernetesClientConfiguration configuration, VipOptions options, string leaseNamespace, string leaseName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);
        configuration.HttpClientTimeout = options.LeaseDuration;
        configuration.UserAgent = "immutableinfra-agent/vip";
        var client = new Kubernetes(configuration);
        return new LeaseApi(new KubernetesLeaseStore(client, leaseNamespace, leaseName), client);
    }
}
