using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>The identity facts Register sends, taken from the inventory plus the current host name.</summary>
internal static class HostIdentityReader
{
    public static HostIdentity From(HostInventory inventory, HostRoot root)
    {
        var identity = new HostIdentity
        {
            SystemUuid = inventory.System?.SystemUuid ?? string.Empty,
            Serial = inventory.System?.Serial ?? string.Empty,
            Hostname = Hostname(root),
        };

        // Only physical NICs identify the host: bridges and veths come and go with what runs on it.
        identity.Macs.AddRange(inventory.Nics
            .Where(n => !n.Virtual && n.Mac.Length > 0)
            .Select(n => n.Mac.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal));
        return identity;
    }

    public static string Hostname(HostRoot root) =>
        root.ReadTrimmed("/proc/sys/kernel/hostname") is { Length: > 0 } kernel ? kernel
        : root.ReadTrimmed("/etc/hostname") is { Length: > 0 } configured ? configured
        : root.IsRealRoot ? Environment.MachineName : string.Empty;
}
