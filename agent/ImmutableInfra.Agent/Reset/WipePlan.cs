using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Reset;

/// <summary>Decides the policy for every disk: per-disk override, else the default; persistent disks are kept.</summary>
internal static class WipePlan
{
    public static IReadOnlyList<WipePlanEntry> For(IReadOnlyList<DiskRecord> disks, ContractReset reset, IReadOnlyList<string> persistentDisks)
    {
        var entries = new List<WipePlanEntry>();
        foreach (var disk in disks)
        {
            var wipeOverride = reset.Disks.FirstOrDefault(d => Names(disk, d.Disk));
            var policy = wipeOverride?.Policy ?? reset.DefaultPolicy;
            var persistent = persistentDisks.Any(p => Names(disk, p));
            entries.Add(new WipePlanEntry(disk, policy, persistent));
        }

        // A request naming a disk this host does not have is reported, not silently dropped.
        foreach (var missing in reset.Disks.Where(d => !disks.Any(disk => Names(disk, d.Disk))))
        {
            entries.Add(new WipePlanEntry(null, missing.Policy, false)
            {
                Pending = new DiskWipeProgress { Disk = missing.Disk, Policy = missing.Policy, State = DiskWipeState.Skipped, Reason = "no such disk on this host" },
            });
        }

        return entries;
    }

    private static bool Names(DiskRecord disk, string name) =>
        name == disk.Info.ByIdPath || name == disk.Info.Name || name == disk.DevicePath;
}

/// <summary>One disk and what to do with it.</summary>
internal sealed record WipePlanEntry(DiskRecord? Disk, WipePolicy Policy, bool Persistent)
{
    public DiskWipeProgress Pending { get; init; } = new()
    {
        Disk = Disk?.Identity ?? string.Empty,
        Policy = Policy,
        State = DiskWipeState.Pending,
    };
}
