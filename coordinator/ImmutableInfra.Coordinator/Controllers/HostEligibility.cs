using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.AgentApi;

namespace ImmutableInfra.Coordinator.Controllers;

/// <summary>
/// Which hosts serve a pool and which of those a machine may claim: allow-list, labels, hardware minimums
/// and failure domain, decided in one place.
/// </summary>
internal static class HostEligibility
{
    /// <summary>
    /// Pool membership: the allow-list and the selector must both hold where set; a pool with neither serves
    /// the hosts that registered through it.
    /// </summary>
    public static bool InPool(MachineInventoryPool pool, MachineInventory host)
    {
        if (host.Metadata.Namespace != pool.Metadata.Namespace)
        {
            return false;
        }

        if (ServesItsRegistrationsOnly(pool))
        {
            return host.Spec?.PoolRef?.Name == pool.Metadata.Name;
        }

        var names = pool.Spec?.InventoryNames;
        var selector = pool.Spec?.Selector;
        return (names is null || names.Contains(host.Metadata.Name!)) && (selector is null || selector.Matches(host.Metadata.Labels));
    }

    /// <summary>A pool with neither allow-list nor selector: its hosts are those that registered through it.</summary>
    public static bool ServesItsRegistrationsOnly(MachineInventoryPool pool) =>
        pool.Spec?.InventoryNames is null && pool.Spec?.Selector is null;

    /// <summary>The host's failure domain: its spec, else its zone label.</summary>
    public static string? FailureDomainOf(MachineInventory host) =>
        host.Spec?.FailureDomain is { Length: > 0 } domain ? domain : host.Metadata.Labels?.GetValueOrDefault(WellKnownLabels.Zone);

    /// <summary>Available, unclaimed and not cordoned: free for any machine its selector allows.</summary>
    public static bool IsFree(MachineInventory host) =>
        host.Status is { State: HostState.Available, Claim: null } && host.Spec?.Maintenance != true;

    /// <summary>Why the host cannot serve the machine, or null when it can.</summary>
    public static string? WhyNot(MachineInventory host, HostSelector? selector, string? failureDomain)
    {
        if (!IsFree(host))
        {
            return "not Available";
        }

        if (failureDomain is { Length: > 0 } && FailureDomainOf(host) != failureDomain)
        {
            return "other failure domain";
        }

        if (selector is null)
        {
            return null;
        }

        if (!selector.ToLabelSelector().Matches(host.Metadata.Labels))
        {
            return "labels do not match";
        }

        var inventory = host.Status?.Inventory;
        if (selector.MinCpu is { } cpus && (inventory?.Cpu?.Threads ?? 0) < cpus)
        {
            return "too few CPUs";
        }

        if (selector.MinMemory is { } memory && memory.TryToInt64(out var bytes) && (inventory?.Memory?.TotalBytes ?? 0) < bytes)
        {
            return "too little memory";
        }

        if (selector.MinDiskSize is not null || selector.DiskKind is not null)
        {
            long minDisk = 0;
            if (selector.MinDiskSize is { } size && !size.TryToInt64(out minDisk))
            {
                return "minDiskSize is not a quantity";
            }

            var fits = (inventory?.Disks ?? []).Any(d => d.HoldsOs != true && d.Removable != true && d.ReadOnly != true
                && (d.SizeBytes ?? 0) >= minDisk && (selector.DiskKind is not { } kind || KindOf(d) == kind));
            if (!fits)
            {
                return "no data disk of the size and kind asked for";
            }
        }

        return null;
    }

    private static DiskKind KindOf(DiskInfo disk) =>
        disk.Transport == DiskTransport.Nvme ? DiskKind.Nvme : disk.Rotational == true ? DiskKind.Hdd : DiskKind.Ssd;
}
