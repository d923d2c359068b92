using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Vip;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>
/// What <see cref="AgentGraph"/> takes from outside instead of building its real implementation: the OS touch points,
/// the clock and the VIP's settings. Null means the real one; tests and the lab's simulated hosts set the ones they fake.
/// </summary>
internal sealed record AgentSeams
{
    public ICommandRunner? Commands { get; init; }

    public ISystemd? Systemd { get; init; }

    public IBlockDeviceWriter? BlockDevices { get; init; }

    public INetworkAddressSource? NetworkAddresses { get; init; }

    public ILocalAddresses? LocalAddresses { get; init; }

    public ISdNotifier? Notifier { get; init; }

    public TimeProvider? Time { get; init; }

    /// <summary>Replaces the defaults re-rooted under the host root (paths, Lease timings).</summary>
    public VipOptions? Vip { get; init; }

    public ILeaseApiConnector? LeaseApi { get; init; }

    /// <summary>
    /// What the idle agent runs to give memory back (<see cref="IdleHeapRelease"/>): a collection of the whole process,
    /// so agents that share one (the lab's simulated hosts, tests) pass something else.
    /// </summary>
    public Action? ReleaseHeap { get; init; }
}
