namespace ImmutableInfra.Agent.Vip;

/// <summary>The arbiter's lever on keepalived.</summary>
internal interface IVrrpGate
{
    /// <summary>Takes effect before returning (keepalived watches the file with inotify).</summary>
    void Set(VrrpEligibility eligibility);
}
