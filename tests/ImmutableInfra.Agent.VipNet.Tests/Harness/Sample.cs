using System.Numerics;

namespace ImmutableInfra.Agent.VipNet.Harness;

/// <summary>
/// One 20 ms sample: which hosts carry the VIP on eth0 (bit i = host i, read over netlink inside each host's
/// namespace; a crashed host counts as holding nothing) and which host answered the client's TCP probe of
/// VIP:7000 from the client namespace (-1: none).
/// </summary>
internal readonly record struct Sample(TimeSpan At, int Holders, int ClientReached)
{
    public int HolderCount => BitOperations.PopCount((uint)Holders);

    public int? SingleHolder => HolderCount == 1 ? BitOperations.TrailingZeroCount(Holders) : null;
}

/// <summary>What the samples say about one fault, from the moment it was injected.</summary>
internal sealed record FaultOutcome(
    TimeSpan? Failover, TimeSpan TwoHoldersAfterFault, TimeSpan TwoHoldersWholeRun, int MaxHoldersAtOnce, int? FinalHolder, int FinalHolderCount, int Samples)
{
    public static FaultOutcome From(IReadOnlyList<Sample> samples, TimeSpan faultAt, int oldHolder)
    {
        TimeSpan? failover = null;
        var twoAfter = TimeSpan.Zero;
        var twoWhole = TimeSpan.Zero;
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            var span = i + 1 < samples.Count ? samples[i + 1].At - sample.At : TimeSpan.FromMilliseconds(20);
            if (sample.HolderCount >= 2)
            {
                twoWhole += span;
                if (sample.At >= faultAt)
                {
                    twoAfter += span;
                }
            }

            if (failover is null && sample.At >= faultAt && sample.SingleHolder is { } holder && holder != oldHolder)
            {
                failover = sample.At - faultAt;
            }
        }

        var last = samples.Count > 0 ? samples[^1] : default;
        return new FaultOutcome(failover, twoAfter, twoWhole, samples.Count == 0 ? 0 : samples.Max(s => s.HolderCount), last.SingleHolder, last.HolderCount, samples.Count);
    }
}
