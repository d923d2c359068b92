using System.Net;
using System.Net.Sockets;

namespace ImmutableInfra.Coordinator.AgentApi.Registration;

/// <summary>The source a registration is counted against: the peer's IPv4 address, or its IPv6 /64.</summary>
internal static class SourceAddress
{
    /// <summary>
    /// The key of a gRPC peer string (<c>ipv4:1.2.3.4:5</c>, <c>ipv6:[::1]:5</c>, as Grpc.Core and grpc-dotnet write it).
    /// An IPv6 host owns a whole /64 and can pick a new address per call, so the /64 is what is counted; an IPv4-mapped
    /// address counts as the IPv4 address. Anything unparsable shares one key, so it cannot escape the limit.
    /// </summary>
    public static string KeyOf(string peer)
    {
        var colon = peer.IndexOf(':', StringComparison.Ordinal);
        var rest = colon < 0 ? peer : peer[(colon + 1)..];
        var portColon = rest.LastIndexOf(':');
        var host = (portColon > 0 && !rest.EndsWith(']') ? rest[..portColon] : rest).Trim('[', ']');
        if (!IPAddress.TryParse(host, out var address))
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
