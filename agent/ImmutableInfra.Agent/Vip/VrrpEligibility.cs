namespace ImmutableInfra.Agent.Vip;

/// <summary>What the arbiter lets keepalived do; written to the track file as a priority offset.</summary>
internal enum VrrpEligibility
{
    /// <summary>Track file value -254: keepalived puts the instance in FAULT and never holds the VIP.</summary>
    Barred,

    /// <summary>Full priority: this host holds the Lease (or bootstraps the cluster) and may be MASTER.</summary>
    Eligible,

    /// <summary>Priority lowered by <see cref="KeepalivedConfigRenderer.FallbackPenalty"/>: keep the VIP while the Lease cannot be written, yield to any Lease holder VRRP hears.</summary>
    Fallback,
}
