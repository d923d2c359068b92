namespace ImmutableInfra.Enrollment;

/// <summary>A static network configuration for one NIC, written as a NetworkManager keyfile.</summary>
public sealed record StaticNetwork
{
    /// <summary>Kernel interface name (e.g. <c>eno1</c>); at least one of this and <see cref="MacAddress"/> is required.</summary>
    public string? InterfaceName { get; init; }

    /// <summary>The NIC's MAC address (<c>52:54:00:12:34:56</c>); survives interface renames.</summary>
    public string? MacAddress { get; init; }

    /// <summary>Addresses with prefix length, IPv4 and/or IPv6 (<c>192.0.2.10/24</c>, <c>2001:db8::10/64</c>).</summary>
    public required IReadOnlyList<string> Addresses { get; init; }

    /// <summary>Default gateway, of the same family as one of the addresses.</summary>
    public string? Gateway { get; init; }

    public IReadOnlyList<string> DnsServers { get; init; } = [];

    public override string ToString() =>
        $"StaticNetwork {{ InterfaceName = {InterfaceName}, MacAddress = {MacAddress}, Addresses = [{string.Join(", ", Addresses)}], Gateway = {Gateway}, DnsServers = [{string.Join(", ", DnsServers)}] }}";
}
