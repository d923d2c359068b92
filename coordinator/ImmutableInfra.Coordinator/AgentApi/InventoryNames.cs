using System.Security.Cryptography;
using System.Text;

namespace ImmutableInfra.Coordinator.AgentApi;

/// <summary>
/// The MachineInventory name of a new host: its host name made a DNS label, plus a short hash of its
/// identity, so the same host always gets the same name (a repeated registration finds its object) and
/// two hosts with one host name do not collide.
/// </summary>
internal static class InventoryNames
{
    public static string For(string hostname, string uuid, IReadOnlyList<string> macs)
    {
        var identity = uuid.Length > 0 ? uuid : string.Join(',', macs.Order(StringComparer.Ordinal));
        var suffix = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..6];
        var label = new StringBuilder();
        foreach (var c in hostname.ToLowerInvariant())
        {
            if (label.Length >= 50)
            {
                break;
            }

            label.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-');
        }

        var stem = label.ToString().Trim('-');
        return (stem.Length == 0 ? "host" : stem) + "-" + suffix;
    }
}
