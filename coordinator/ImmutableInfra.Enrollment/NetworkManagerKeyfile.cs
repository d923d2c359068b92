using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImmutableInfra.Enrollment;

/// <summary>A NetworkManager keyfile (the format MicroOS's NetworkManager reads) for one NIC with static addresses.</summary>
internal sealed class NetworkManagerKeyfile(
    string? interfaceName,
    string? macAddress,
    IReadOnlyList<(IPAddress Address, int Prefix)> addresses,
    IPAddress? gateway,
    IReadOnlyList<IPAddress> dnsServers)
{
    public const string ConnectionId = "immutableinfra-static";

    public string Render()
    {
        var text = new StringBuilder()
            .AppendLine("[connection]")
            .AppendLine(CultureInfo.InvariantCulture, $"id={ConnectionId}")
            .AppendLine("type=ethernet")
            .AppendLine("autoconnect=true")
            // Wins over the DHCP profile NetworkManager creates on its own for the same NIC.
            .AppendLine("autoconnect-priority=100");
        if (interfaceName is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"interface-name={interfaceName}");
        }

        text.AppendLine().AppendLine("[ethernet]");
        if (macAddress is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"mac-address={macAddress}");
        }

        AppendFamily(text, "ipv4", AddressFamily.InterNetwork, noAddressMethod: "disabled");
        // "ignore" keeps the kernel's link-local IPv6 address, which does no harm on a static network.
        AppendFamily(text, "ipv6", AddressFamily.InterNetworkV6, noAddressMethod: "ignore");
        return text.ToString();
    }

    private void AppendFamily(StringBuilder text, string section, AddressFamily family, string noAddressMethod)
    {
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"[{section}]");
        var own = addresses.Where(a => a.Address.AddressFamily == family).ToList();
        if (own.Count == 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"method={noAddressMethod}");
            return;
        }

        text.AppendLine("method=manual");
        for (var i = 0; i < own.Count; i++)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"address{i + 1}={own[i].Address}/{own[i].Prefix}");
        }

        if (gateway is not null && gateway.AddressFamily == family)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"gateway={gateway}");
        }

        var dns = dnsServers.Where(d => d.AddressFamily == family).ToList();
        if (dns.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"dns={string.Join(';', dns)};");
            text.AppendLine("ignore-auto-dns=true");
        }
    }
}
