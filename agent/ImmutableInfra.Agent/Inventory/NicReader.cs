using System.Globalization;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Inventory;

/// <summary>Reads network interfaces from /sys/class/net; addresses come from an <see cref="INetworkAddressSource"/>.</summary>
internal sealed class NicReader(HostRoot root, INetworkAddressSource addresses)
{
    public IReadOnlyList<NicInfo> Read()
    {
        var nics = new List<NicInfo>();
        foreach (var name in root.List("/sys/class/net"))
        {
            var dir = $"/sys/class/net/{name}/";
            if (name == "lo" || !root.Exists(dir + "address"))
            {
                continue;
            }

            // A physical NIC has a bus device behind it; bridges, bonds, veth and VLANs do not.
            var isPhysical = root.LinkTarget(dir + "device") is not null;
            var driver = isPhysical ? root.LinkTarget(dir + "device/driver") : null;
            var nic = new NicInfo
            {
                Name = name,
                Mac = (root.ReadTrimmed(dir + "address") ?? string.Empty).ToLowerInvariant(),
                Mtu = ParseUInt(root.ReadTrimmed(dir + "mtu")),
                SpeedMbps = ParseUInt(root.ReadTrimmed(dir + "speed")),
                Carrier = root.ReadTrimmed(dir + "carrier") == "1",
                Virtual = !isPhysical,
                Driver = driver is null ? string.Empty : Path.GetFileName(driver),
            };
            nic.Addresses.AddRange(addresses.AddressesOf(name));
            nics.Add(nic);
        }

        return nics;
    }

    // speed reads "-1" (or fails) without link; both mean unknown.
    private static uint ParseUInt(string? text) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
