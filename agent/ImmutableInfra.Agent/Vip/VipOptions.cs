namespace ImmutableInfra.Agent.Vip;

/// <summary>Where the VIP component writes and reads on the host, and the arbiter's Lease timings.</summary>
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
    /// How long others wait, after last seeing the Lease change, before taking it over. It bounds hard-kill
    /// failover: about LeaseDuration + RetryPeriod + the VRRP master-down time.
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(1.5);

    /// <summary>The holder demotes itself when it has not renewed for this long, LeaseDuration - RenewDeadline before anyone may take over.</summary>
    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(0.9);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(0.25);

    /// <summary>Time allowed to the "does my apiserver still answer" probe that decides between demoting and the fallback.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(0.2);

    /// <summary>Pause before trying again after the VIP's configuration could not be rendered or applied.</summary>
    public TimeSpan ConfigRetry { get; init; } = TimeSpan.FromSeconds(10);

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(KeepalivedConfigPath) || string.IsNullOrWhiteSpace(KeepalivedUnit) || string.IsNullOrWhiteSpace(TrackFilePath)
            || string.IsNullOrWhiteSpace(AdminKubeconfigPath) || string.IsNullOrWhiteSpace(SuperAdminKubeconfigPath))
        {
            throw new ArgumentException("VipOptions: every path and the keepalived unit are required");
        }

        // The elector's own rule, plus room for the probe: the holder must have decided (demote or fall back)
        // before LeaseDuration, when another host may take the Lease.
        if (RetryPeriod <= TimeSpan.Zero || RenewDeadline <= RetryPeriod * 1.2 || ProbeTimeout <= TimeSpan.Zero
            || RenewDeadline + ProbeTimeout >= LeaseDuration || ConfigRetry <= TimeSpan.Zero)
        {
            throw new ArgumentException("VipOptions: LeaseDuration > RenewDeadline + ProbeTimeout, RenewDeadline > 1.2 x RetryPeriod > 0 and ConfigRetry > 0 are required");
        }

        // A graceful stop keeps the VIP for up to 3 x RetryPeriod after its last renewal started (plus one
        // period): that must end before anyone may take the Lease over.
        if (RetryPeriod * 4 >= LeaseDuration)
        {
            throw new ArgumentException("VipOptions: LeaseDuration > 4 x RetryPeriod is required");
        }
    }
}
