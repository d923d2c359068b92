using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Agent.Vip;

/// <summary>The real <see cref="ILeaseApiConnector"/>: kubeadm's kubeconfig on this host, a KubeClient of the arbiter's own.</summary>
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

    public LeaseApi? TryConnect(bool initializing)
    {
        var path = ChoosePath(options, initializing, _exists);
        if (path is null)
        {
            return null;
        }

        var settings = new KubeConfigLoader(_ => null).Load(explicitPath: path);
        // Its own client and handler, no rate limiter, no retries: the elector retries on its own schedule
        // and every attempt must end within its renew budget.
        var client = new KubeClient(settings, new KubeClientOptions { MaxAttempts = 1, RequestTimeout = options.RenewDeadline, UserAgent = "immutableinfra-agent/vip" });
        return new LeaseApi(client.Resource(KubeResources.Leases), client);
    }
}
