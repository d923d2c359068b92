using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace ImmutableInfra.Agent.Vip;

/// <summary>The real <see cref="ILocalAddresses"/> over System.Net.NetworkInformation (netlink).</summary>
internal sealed class NetworkInterfaceLocalAddresses : ILocalAddresses
{
    public IReadOnlyList<LocalAddress> All() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses
                .Where(a => a.Address.AddressFamily == AddressFamily.InterNetwork
                    || (a.Address.AddressFamily == AddressFamily.InterNetworkV6 && !a.Address.IsIPv6LinkLocal))
                .Select(a => new LocalAddress(nic.Name, a.Address, a.PrefixLength)))
            .ToList();
}
