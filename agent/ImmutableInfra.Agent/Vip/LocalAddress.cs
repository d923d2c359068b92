using System.Net;

namespace ImmutableInfra.Agent.Vip;

/// <summary>One address of one interface of this host, with its prefix (the subnet it lies in).</summary>
internal sealed record LocalAddress(string Interface, IPAddress Address, int PrefixLength)
{
    public bool SubnetContains(IPAddress other) =>
        other.AddressFamily == Address.AddressFamily && new IPNetwork(Mask(Address, PrefixLength), PrefixLength).Contains(other);

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var bits = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - bits));
        }

        return new IPAddress(bytes);
    }
}
