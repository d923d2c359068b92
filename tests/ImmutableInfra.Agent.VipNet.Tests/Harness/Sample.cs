using System.Numerics;

namespace ImmutableInfra.Agent.VipNet.Harness;

/// <summary>
/// One 20 ms sample: which hosts carry the VIP on eth0 (bit i = host i, read over netlink inside each host's
/// namespace; a crashed host counts as holding nothing), which host answered the client's TCP probe of
/// VIP:7000 from the client namespace (-1: none), and which host the Lease names (-1: none).
/// </summary>
internal readonly record struct Sample(TimeSpan At, int Holders, int ClientReached, int LeaseHolder)
{
    public int HolderCount => BitOperations.PopCount((uint)Holders);

    public int? SingleHolder => HolderCount == 1 ? BitOperations.TrailingZeroCount(Holders) : null;
}

/// <summary>What the samples say about one fault, from the moment it was injected.</summary>
internal sealed record FaultOutcome(
    TimeSpan? Failover, TimeSpan TwoHoldersAfterFault, TimeSpan TwoHoldersWholeRun, int MaxHoldersAtOnce, int? FinalHolder, int FinalHolderCount, int Samples,
    TimeSpan NoHolderAfterFault, TimeSpan LongestNoHolder, int Moves, TimeSpan VipOffLeaseHolder, TimeSpan? MonitorOverlap)
{
    public static FaultOutcome From(IReadOnlyList<Sample> samples, TimeSpan faultAt, int oldHolder, TimeSpan? monitorOverlap)
    {
        TimeSpan? failover = null;
        var twoAfter = TimeSpan.Zero;
        var twoWhole = TimeSpan.Zero;
        var none = TimeSpan.Zero;
        var longestNone = TimeSpan.Zero;
        var currentNone = TimeSpan.Zero;
        var offLease = TimeSpan.Zero;
        var moves = 0;
        int? lastHolder = null;
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

            if (sample.At >= faultAt)
            {
                currentNone = sample.HolderCount == 0 ? currentNone + span : TimeSpan.Zero;
                none += sample.HolderCount == 0 ? span : TimeSpan.Zero;
                longestNone = currentNone > longestNone ? currentNone : longestNone;
                // The VIP on a host the Lease does not name (a holder that has not demoted, or one not yet promoted is not counted).
                offLease += sample.SingleHolder is { } h && sample.LeaseHolder >= 0 && h != sample.LeaseHolder ? span : TimeSpan.Zero;
            }

            if (sample.SingleHolder is { } single)
            {
                moves += sample.At >= faultAt && lastHolder is { } previous && previous != single ? 1 : 0;
                lastHolder = single;
            }

            if (failover is null && sample.At >= faultAt && sample.SingleHolder is { } holder && holder != oldHolder)
            {
                failover = sample.At - faultAt;
            }
        }

        var last = samples.Count > 0 ? samples[^1] : default;
        return new FaultOutcome(failover, twoAfter, twoWhole, samples.Count == 0 ? 0 : samples.Max(s => s.HolderCount), last.SingleHolder, last.HolderCount, samples.Count,
            none, longestNone, moves, offLease, monitorOverlap);
    }
}
