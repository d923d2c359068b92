using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Coordinator.Controllers;

/// <summary>
/// Which of a pool's hosts a machine tries: the first eligible few, walking the pool's list from a position
/// of the machine's own, so claimants working in parallel start apart and rarely race for one host, and a retry
/// after a lost race looks at the same hosts again.
/// </summary>
internal static class ClaimOrder
{
    /// <summary>Up to <paramref name="count"/> hosts of <paramref name="hosts"/> that pass <paramref name="eligible"/>, in the machine's order.</summary>
    /// <remarks>
    /// It looks at as few hosts as it takes: a claim in a pool of 10,000 mostly free hosts checks a handful. Checking
    /// (or even copying) every host for each of 500 machines created at once kept a core busy for seconds: the hosts'
    /// objects are spread over a large heap, and each one looked at is a cache miss or several.
    /// </remarks>
    public static List<MachineInventory> Pick(IReadOnlyList<MachineInventory> hosts, string? machineUid, Func<MachineInventory, bool> eligible, int count)
    {
        var picked = new List<MachineInventory>(count);
        if (hosts.Count == 0)
        {
            return picked;
        }

        var start = (int)(Start(machineUid) % (ulong)hosts.Count);
        for (var i = 0; i < hosts.Count && picked.Count < count; i++)
        {
            var host = hosts[(start + i) % hosts.Count];
            if (eligible(host))
            {
                picked.Add(host);
            }
        }

        return picked;
    }

    // FNV-1a of the machine's UID, then a final mix: FNV's bits are poorly spread for inputs that differ in their
    // last characters (UIDs and names of machines created together), and the position comes from all of them.
    // Stable across processes (string.GetHashCode is not).
    private static ulong Start(string? machineUid)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in machineUid ?? string.Empty)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash = (hash ^ (hash >> 33)) * 0xff51afd7ed558ccdUL;
        hash = (hash ^ (hash >> 33)) * 0xc4ceb9fe1a85ec53UL;
        return hash ^ (hash >> 33);
    }
}
