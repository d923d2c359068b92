using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ImmutableInfra.Grpc.Server.Internal;

/// <summary>Formats a peer address the way gRPC does: ipv4:1.2.3.4:5 or ipv6:[::1]:5.</summary>
internal static class GrpcPeer
{
    public static string Format(IPAddress? address, int port)
    {
        if (address is null)
        {
            return "unknown";
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6
            ? string.Create(CultureInfo.InvariantCulture, $"ipv6:[{address}]:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"ipv4:{address}:{port}");
    }
}
