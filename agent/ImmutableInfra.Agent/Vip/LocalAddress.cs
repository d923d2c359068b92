using System.Net;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Vip;

/// <summary>One address of one interface of this host, with its prefix (the subnet it lies in).</summary>
internal sealed record LocalAddress(string Interface, IPAddress Address, int PrefixLength)
{
    public bool SubnetContains(IPAddress other) => new InterfaceAddress(Address, PrefixLength).SubnetContains(other);
}
