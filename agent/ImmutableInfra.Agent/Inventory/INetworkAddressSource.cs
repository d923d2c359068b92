namespace ImmutableInfra.Agent.Inventory;

/// <summary>The addresses (CIDR) an interface has; sysfs does not carry them.</summary>
internal interface INetworkAddressSource
{
    IReadOnlyList<string> AddressesOf(string interfaceName);
}
