using System.Security.Cryptography;
using System.Text;

namespace ImmutableInfra.Coordinator.AgentApi;

/// <summary>
/// The MachineInventory name of a new host: its host name made a DNS label, plus a hash of its identity, so the
/// same host gets the same name and hosts with one host name (every "localhost") do not collide. The suffix has
/// 64 bits: among ten million hosts the chance of any collision is about 3 in a million, and squatting a future
/// host's name means searching 2^64 identities. A collision that happens anyway is not a refusal: the registrar
/// tries the next <paramref name="attempt"/>.
/// </summary>
internal static class InventoryNames
{
    private const int StemLength = 46;

    /// <summary>The name for <paramref name="attempt"/> 0, 1, ...: at most 63 characters, so it also fits a label value.</summary>
    public static string For(string hostname, string uuid, IReadOnlyList<string> macs, int attempt = 0)
    {
        var identity = uuid.Length > 0 ? uuid : string.Join(',', macs.Order(StringComparer.Ordinal));
        if (attempt > 0)
        {
            identity += "#" + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var suffix = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
        var label = new StringBuilder();
        foreach (var c in hostname.ToLowerInvariant())
        {
            if (label.Length >= StemLength)
            {
                break;
            }

            label.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') ? c : '-');
        }

        var stem = label.ToString().Trim('-');
        return (stem.Length == 0 ? "host" : stem) + "-" + suffix;
    }
}
