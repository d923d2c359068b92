using ImmutableInfra.Agent.Vip;
using ImmutableInfra.Agent.VipNet.Harness;
using Xunit.Abstractions;

namespace ImmutableInfra.Agent.VipNet.Tests;

/// <summary>
/// The bounds the agent README's "VIP arbiter" section states, as formulas of the shipped timings
/// (D Lease duration, R renew deadline, P retry period, M VRRP master-down interval, C the sign-of-life
/// check interval, L the not-master limit), and the margin every timed assertion adds for a loaded machine.
/// </summary>
internal static class Bounds
{
    private static readonly VipOptions Options = VipCluster.ArbiterOptions;

    /// <summary>Scheduling and process start-up on a loaded 2-core machine: the measured excess stays well inside it.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(400);

    public static TimeSpan Advert => KeepalivedConfigRenderer.DefaultAdvertInterval;

    /// <summary>M = 3 adverts + skew (priority 100).</summary>
    public static TimeSpan MasterDown => (Advert * 3) + (Advert * (256 - KeepalivedConfigRenderer.Priority) / 256);

    /// <summary>Hard kill: the follower saw the last renewal up to 1.2 P late, waits D, polls up to 1.2 P later, its next step (P) makes it eligible, then M.</summary>
    public static TimeSpan HardKillFailover => (Options.RetryPeriod * 3.4) + Options.LeaseDuration + MasterDown;

    /// <summary>A frozen agent's keepalived is in FAULT at most D (the sign of life's validity) + C after its last step.</summary>
    public static TimeSpan FrozenDemotion => Options.LeaseDuration + KeepalivedConfigRenderer.AliveCheckInterval;

    /// <summary>
    /// A flapping holder sees itself not master at its next step (P) and gives the Lease up after L; the release
    /// gets out in the next up-window (one flap period); a follower's next poll (1.2 P) takes it, its next step (P)
    /// makes it eligible, M later the VIP is there.
    /// </summary>
    public static TimeSpan FlappingTakeover(TimeSpan flapPeriod) => LeaseArbiter.NotMasterLimit(Advert, Options) + flapPeriod + (Options.RetryPeriod * 3.2) + MasterDown;

    public static void Report(ITestOutputHelper output, VipCluster cluster, string scenario, FaultOutcome outcome) =>
        output.WriteLine($"{scenario} ({(cluster.Arbitrated ? "arbitrated" : "plain keepalived")}): failover {outcome.Failover?.TotalMilliseconds:0} ms, "
            + $"two holders {outcome.TwoHoldersWholeRun.TotalMilliseconds:0} ms (ip monitor {outcome.MonitorOverlap?.TotalMilliseconds:0.###} ms), no holder {outcome.NoHolderAfterFault.TotalMilliseconds:0} ms "
            + $"(longest {outcome.LongestNoHolder.TotalMilliseconds:0}), moves {outcome.Moves}, VIP off the Lease holder {outcome.VipOffLeaseHolder.TotalMilliseconds:0} ms, "
            + $"final holders {outcome.FinalHolderCount}; {cluster.Describe(verbose: false)}");
}
