using System.Globalization;
using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Agent.Hosting;
using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Vip;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Simulation;

/// <summary>
/// One simulated bare-metal host: a VM-shaped fixture root with its own SMBIOS UUID, MAC, host name and
/// disks, and the real agent (enrollment, Sync stream, bootstrap executor, reset and wipe) talking real
/// gRPC to a coordinator. Only processes, systemd and raw block writes are simulated.
/// </summary>
public sealed class SimulatedHost : IAsyncDisposable
{
    private readonly IHost _agent;
    private readonly SimulatedNotifier _notifier;
    private readonly FixtureTree _tree;
    private readonly SimulatedCommandRunner _commands;
    private bool _stopped;

    private SimulatedHost(int index, FixtureTree tree, IHost agent, SimulatedNotifier notifier, SimulatedCommandRunner commands)
    {
        Index = index;
        _tree = tree;
        _agent = agent;
        _notifier = notifier;
        _commands = commands;
    }

    public int Index { get; }

    public string Name => HostName(Index);

    /// <summary>The agent's last systemd STATUS= line.</summary>
    public string Status => _notifier.Status;

    /// <summary>How many times this host ran <c>kubeadm init</c> or <c>join</c>.</summary>
    public int KubeadmJoinsAndInits => _commands.KubeadmJoinsAndInits;

    public static string HostName(int index) => "node-" + index.ToString("D5", CultureInfo.InvariantCulture);

    /// <summary>Writes the host's tree under <paramref name="directory"/> and starts its agent.</summary>
    public static async Task<SimulatedHost> StartAsync(int index, SimulatedHostOptions options, string directory, ILoggerFactory loggers, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = Path.Combine(directory, "root");
        var tree = new FixtureTree(root, owned: false);
        var uuid = $"5e1a0000-0000-4000-8000-{index:x12}";
        var mac = $"52:54:{(index >> 24) & 0xff:x2}:{(index >> 16) & 0xff:x2}:{(index >> 8) & 0xff:x2}:{index & 0xff:x2}";
        var osDisk = new DiskFixture("vda", "pci0000:00/0000:00:04.0/virtio2/block/vda", "252:0", 83886080,
            "S:disk/by-path/pci-0000:00:04.0\nE:ID_PATH=pci-0000:00:04.0\nE:ID_PART_TABLE_TYPE=gpt\n");
        var dataDisk = new DiskFixture("vdb", "pci0000:00/0000:00:05.0/virtio3/block/vdb", "252:16", 419430400,
            $"S:disk/by-id/virtio-data-{index}\nE:ID_SERIAL=data-{index}\nE:ID_PATH=pci-0000:00:05.0\n");
        tree.Dmi("QEMU", "Standard PC (Q35 + ICH9, 2009)", $"SIM{index:D6}", uuid, "1.16.3")
            .Cpus("AMD EPYC-Milan Processor", sockets: 1, coresPerSocket: 4, threadsPerCore: 2, hypervisor: true)
            .Memory(16 * 1024 * 1024)
            .OsRelease("openSUSE MicroOS", "20261120", "6.17.1-1-default")
            .PhysicalNic("enp1s0", mac, 1500, "10000", carrier: true, "pci0000:00/0000:00:02.0/0000:01:00.0/virtio0", "virtio_net")
            .File("/etc/hostname", HostName(index) + "\n")
            .Disk(osDisk)
            .Partition(osDisk, "vda1", "252:1", 2048, "")
            .Partition(osDisk, "vda2", "252:2", 83881984, "E:ID_FS_TYPE=btrfs\nE:ID_FS_LABEL=ROOT\n")
            .Disk(dataDisk)
            .MountInfo("21 1 252:2 / / rw,relatime shared:1 - btrfs /dev/vda2 rw");

        var agentOptions = new AgentOptions
        {
            CoordinatorUrl = options.Coordinator,
            Insecure = options.Coordinator.Scheme == Uri.UriSchemeHttp,
            Pool = options.Pool,
            RegistrationToken = options.Token,
            StateDir = Path.Combine(directory, "state"),
            RootDir = root,
            Labels = new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = options.Zone(index) },
        };
        var coordination = new CoordinationOptions
        {
            HeartbeatInterval = options.HeartbeatInterval,
            ReconnectBackoffMin = TimeSpan.FromMilliseconds(200),
            ReconnectBackoffMax = TimeSpan.FromSeconds(5),
            UnaryCallTimeout = TimeSpan.FromSeconds(20),
            RejectedRegistrationRetry = TimeSpan.FromSeconds(5),
            MinProgressInterval = TimeSpan.Zero,
        };
        var notifier = new SimulatedNotifier();
        var commands = new SimulatedCommandRunner(root, options.KubeadmTime);
        var addresses = new SimulatedAddresses("enp1s0", SimulatedHostOptions.Address(index));
        var builder = AgentHost.CreateBuilder(agentOptions, coordination);
        builder.Services.AddSingleton<IHostLifetime, InProcessLifetime>();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<ISystemdNotifier>(notifier);
        builder.Services.AddSingleton<ICommandRunner>(commands);
        builder.Services.AddSingleton<ISystemd, SimulatedSystemd>();
        builder.Services.AddSingleton<IBlockDeviceWriter, SimulatedBlockDevices>();
        builder.Services.AddSingleton<INetworkAddressSource>(addresses);
        builder.Services.AddSingleton<ILocalAddresses>(addresses);
        // Simulated hosts share the lab's process: none collects it for all.
        builder.Services.AddSingleton(sp => new IdleHeapRelease(sp.GetRequiredService<TimeProvider>(), static () => { }));
        var host = new SimulatedHost(index, tree, builder.Build(), notifier, commands);
        await host._agent.StartAsync(ct).ConfigureAwait(false);
        return host;
    }

    /// <summary>Stops the agent as SIGTERM would (its stream closes, its state stays on "disk").</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _agent.StopAsync(timeout.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _agent.Dispose();
        _tree.Dispose();
    }
}

/// <summary>Where simulated hosts enroll and how they behave.</summary>
public sealed record SimulatedHostOptions(Uri Coordinator, string Pool, string Token)
{
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a simulated kubeadm init/join/reset takes.</summary>
    public TimeSpan KubeadmTime { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Failure domains the hosts spread over (round robin).</summary>
    public int Zones { get; init; } = 3;

    public string Zone(int index) => "zone-" + (char)('a' + (index % Zones));

    /// <summary>The host's address (198.18.0.0/15, the benchmarking range).</summary>
    public static string Address(int index) => $"198.18.{index / 250}.{(index % 250) + 1}/15";
}
