namespace ImmutableInfra.Agent.Vip;

/// <summary>Where the VIP component writes and reads on the host, and the arbiter's Lease timings (the agent README's "VIP arbiter" has the reasoning).</summary>
internal sealed record VipOptions
{
    public string KeepalivedConfigPath { get; init; } = "/etc/keepalived/keepalived.conf";

    public string KeepalivedUnit { get; init; } = "keepalived.service";

    /// <summary>keepalived's track file: the arbiter writes the VRRP eligibility here (tmpfs: a reboot starts barred).</summary>
    public string TrackFilePath { get; init; } = "/run/immutableinfra/vip-eligibility";

    /// <summary>Works on every control plane once kubeadm bound kubeadm:cluster-admins (k8s >= 1.29) or always (older).</summary>
    public string AdminKubeconfigPath { get; init; } = "/etc/kubernetes/admin.conf";

    /// <summary>Exists only on the host that ran `kubeadm init` (k8s >= 1.29); the only credential that works during init.</summary>
    public string SuperAdminKubeconfigPath { get; init; } = "/etc/kubernetes/super-admin.conf";

    /// <summary>
    /// D: how long others wait, after last seeing the Lease change, before taking it over. Hard-kill failover is
    /// at most 1.2 P + D + 1.2 P + one request + the VRRP master-down interval.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// R: the holder stops counting itself the holder once R has passed since its newest successful renewal was
    /// sent; D - R before anyone may take over. Renewals answered within R - P keep the Lease.
    /// </summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(0.8);

    /// <summary>P: a renewal (or a follower's read) is sent every P, whether or not earlier ones have been answered.</summary>
    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(0.1);

    /// <summary>
    /// G: beyond twice the VRRP master-down interval, how long a Lease holder may go without its keepalived
    /// being master before it gives the Lease up (a flapping link: its VRRP cannot settle, so a healthy host should hold).
    /// </summary>
    public TimeSpan PromotionGrace { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>Pause before trying again after the VIP's configuration could not be rendered or applied.</summary>
    public TimeSpan ConfigRetry { get; init; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(KeepalivedConfigPath) || string.IsNullOrWhiteSpace(KeepalivedUnit) || string.IsNullOrWhiteSpace(TrackFilePath)
            || string.IsNullOrWhiteSpace(AdminKubeconfigPath) || string.IsNullOrWhiteSpace(SuperAdminKubeconfigPath))
        {
            throw new ArgumentException("VipOptions: every path and the keepalived unit are required");
        }

        // Several renewals inside each renew deadline (one answered in time is enough), and two retry periods
        // between the holder's step-down and the first instant anyone may take the Lease over.
        if (RetryPeriod <= TimeSpan.Zero || RenewDeadline < RetryPeriod * 4 || LeaseDuration < RenewDeadline + (RetryPeriod * 2)
            || PromotionGrace < TimeSpan.Zero || ConfigRetry <= TimeSpan.Zero)
        {
            throw new ArgumentException(
                "VipOptions: RetryPeriod > 0, RenewDeadline >= 4 x RetryPeriod, LeaseDuration >= RenewDeadline + 2 x RetryPeriod, PromotionGrace >= 0 and ConfigRetry > 0 are required");
        }
    }
}
