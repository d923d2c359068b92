namespace ImmutableInfra.Dashboard.Fleet;

/// <summary>What changed in the fleet, so that a page refreshes only when something it shows did.</summary>
[Flags]
internal enum FleetKinds
{
    None = 0,
    Pools = 1,
    Hosts = 2,
    Machines = 4,
    Clusters = 8,
    Events = 16,
    Tokens = 32,
    Connection = 64,
    All = Pools | Hosts | Machines | Clusters | Events | Tokens | Connection,
}
