using System.Globalization;
using System.Net;

namespace ImmutableInfra.Contract.V1;

/// <summary>
/// An interface address with its prefix length, as the contract carries host addresses ("198.18.0.7/15",
/// "2001:db8::7/64"). Unlike <see cref="IPNetwork"/> it keeps the host bits: it is an address in a subnet.
/// </summary>
public readonly record struct InterfaceAddress(IPAddress Address, int PrefixLength)
{
    /// <summary>Parses "address/prefix" (a bare address is a /32 or /128); false for anything else.</summary>
    public static bool TryParse(string? text, out InterfaceAddress result)
    {
        result = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (!IPAddress.TryParse(slash < 0 ? text : text[..slash], out var address))
        {
            return false;
        }

        var bits = address.GetAddressBytes().Length * 8;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits))
        {
            return false;
        }

        result = new InterfaceAddress(address, prefix);
        return true;
    }

    /// <summary>Whether <paramref name="other"/> lies in this address's subnet.</summary>
    public bool SubnetContains(IPAddress other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.AddressFamily != Address.AddressFamily)
        {
            return false;
        }

        var bytes = Address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] &= (byte)(0xFF << (8 - Math.Clamp(PrefixLength - (i * 8), 0, 8)));
        }

        return new IPNetwork(new IPAddress(bytes), PrefixLength).Contains(other);
    }

    public override string ToString() => $"{Address}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";
}
