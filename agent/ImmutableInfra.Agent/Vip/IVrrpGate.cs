namespace ImmutableInfra.Agent.Vip;

/// <summary>The arbiter's lever on keepalived.</summary>
internal interface IVrrpGate
{
    /// <summary>Takes effect before returning (keepalived watches the file with inotify).</summary>
    void Set(VrrpEligibility eligibility);

    /// <summary>
    /// The arbiter's sign of life: keepalived's check script puts the instance in FAULT once
    /// <paramref name="validFor"/> has passed without another call (a frozen or dead arbiter).
    /// </summary>
    void Refresh(TimeSpan validFor);
}
