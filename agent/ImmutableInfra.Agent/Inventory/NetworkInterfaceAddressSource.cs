using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace ImmutableInfra.Agent.Inventory;

/// <summary>The real <see cref="INetworkAddressSource"/> over System.Net.NetworkInformation (netlink).</summary>
internal sealed class NetworkInterfaceAddressSource : INetworkAddressSource
{
    public IReadOnlyList<string> AddressesOf(string interfaceName)
    {
        var nic = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == interfaceName);
        if (nic is null)
        {
            return [];
        }

        return nic.GetIPProperties().UnicastAddresses
            .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork
                || (a.Address.AddressFamily == AddressFamily.InterNetworkV6 && !a.Address.IsIPv6LinkLocal))
            .Select(a => $"{a.Address}/{a.PrefixLength}")
            .ToList();
    }
}
