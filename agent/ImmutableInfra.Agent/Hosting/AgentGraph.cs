using ImmutableInfra.Agent.Bootstrap;
using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Reset;
using ImmutableInfra.Agent.Vip;
using ImmutableInfra.Contract.V1;
using Grpc.Net.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>
/// The agent's object graph: OS seams, inventory, bootstrap, reset, and the coordinator link driving them, built by hand.
/// </summary>
/// <remarks>
/// A hand-written composition root rather than Microsoft.Extensions.DependencyInjection: the reflection-based service
/// provider's call-site machinery was code and runtime type data the agent carried for its whole life to wire a
/// graph that never changes (docs/benchmarks.md, Agent footprint). Tests and the lab substitute OS seams through
/// <see cref="AgentSeams"/>. Everything is built in the constructor, so a bad CA bundle or VIP setting fails the start.
/// </remarks>
internal sealed class AgentGraph : IDisposable
{
    private readonly SdNotifier? _ownedNotifier;
    private readonly IdleHeapRelease _heap;
    private readonly ControlPlaneVip _vip;
    private readonly AgentHostedService _service;

    /// <exception cref="ArgumentException">The coordination or VIP settings are invalid.</exception>
    /// <exception cref="InvalidOperationException">The coordinator channel cannot be built (e.g. an unreadable CA bundle).</exception>
    public AgentGraph(AgentOptions options, CoordinationOptions coordination, ILoggerFactory loggers, AgentSeams? seams = null)
    {
        seams ??= new AgentSeams();
        coordination.Validate();
        var vipOptions = seams.Vip ?? DefaultVipOptions(new HostRoot(options.RootDir));
        vipOptions.Validate();
        var time = seams.Time ?? TimeProvider.System;
        Channel = CoordinatorChannelFactory.Create(options, coordination);
        try
        {
            var root = new HostRoot(options.RootDir);
            var commands = seams.Commands ?? new ProcessCommandRunner();
            var systemd = seams.Systemd ?? new SystemctlSystemd(commands);
            BlockDevices = seams.BlockDevices ?? new BlockDeviceWriter();
            var inventory = new HostInventoryReader(root, seams.NetworkAddresses ?? new NetworkInterfaceAddressSource());
            var credentials = new CredentialStore(options.StateDir);
            var journal = new BootstrapJournal(options.StateDir);
            var bootstrap = new BootstrapExecutor(root, journal, commands, systemd, new BootstrapOptions(), loggers.CreateLogger<BootstrapExecutor>());
            var wiper = new DiskWiper(commands, BlockDevices, loggers.CreateLogger<DiskWiper>());
            var resetter = new HostResetter(
                root, commands, inventory.Snapshot, wiper, journal, new ResetOptions { PersistentDisks = options.PersistentDisks },
                loggers.CreateLogger<HostResetter>());
            var notifier = seams.Notifier ?? (_ownedNotifier = SdNotifier.FromEnvironment());
            var status = new AgentStatus(notifier);

            Func<double> random = Jitter.Sample;
            var client = new AgentService.AgentServiceClient(Channel);
            _heap = new IdleHeapRelease(time, seams.ReleaseHeap ?? IdleHeapRelease.CollectAndDecommit);
            var link = new LinkStatus(status, _heap);
            var convergedStore = new ConvergedStateStore(options.StateDir);
            var observed = new ObservedStateTracker(convergedStore.Load());
            var backoff = new ReconnectBackoff(coordination.ReconnectBackoffMin, coordination.ReconnectBackoffMax, random, time);
            var pacing = new SyncPacing(coordination, backoff);
            var fetcher = new BootstrapDataFetcher(client, credentials, coordination, link, random, time, loggers.CreateLogger<BootstrapDataFetcher>());

            // The VIP role only arrives over an enrolled stream; the Lease identity is this host's MachineInventory name.
            _vip = new ControlPlaneVip(
                vipOptions, seams.LocalAddresses ?? new NetworkInterfaceLocalAddresses(), new KeepalivedConfigFile(vipOptions, systemd),
                new TrackFileVrrpGate(vipOptions.TrackFilePath), seams.LeaseApi ?? new KubeconfigLeaseApiConnector(vipOptions), observed,
                () => credentials.Load()?.InventoryName ?? Environment.MachineName, time, loggers);
            var converger = new DesiredStateConverger(observed, convergedStore, fetcher, bootstrap, resetter, link, _vip, loggers.CreateLogger<DesiredStateConverger>());
            var enroller = new Enroller(
                options, coordination, client, credentials, inventory, root, pacing, backoff, link, random, time, loggers.CreateLogger<Enroller>());
            var session = new SyncSession(
                client, observed, converger, inventory, root, pacing, coordination, link, random, time, loggers.CreateLogger<SyncSession>());
            var coordinator = new CoordinatorLink(enroller, session, credentials, backoff, coordination, link, time, loggers.CreateLogger<CoordinatorLink>());
            _service = new AgentHostedService(
                options, inventory, new AgentCoordination(coordinator, converger, _vip, observed, link), notifier, status,
                WatchdogSettings.FromEnvironment(), time, loggers.CreateLogger<AgentHostedService>());
        }
        catch
        {
            _heap?.Dispose();
            _ownedNotifier?.Dispose();
            Channel.Dispose();
            throw;
        }
    }

    /// <summary>The agent's one long-running service: run it until stopped, then dispose the graph.</summary>
    public IHostedService Service => _service;

    public GrpcChannel Channel { get; }

    public IBlockDeviceWriter BlockDevices { get; }

    public void Dispose()
    {
        _service.Dispose();
        _heap.Dispose();
        _vip.Dispose();
        Channel.Dispose();
        _ownedNotifier?.Dispose();
    }

    /// <summary>Re-rooted like every other host path, so tests and the lab's simulated hosts never touch this machine's /etc or /run.</summary>
    public static VipOptions DefaultVipOptions(HostRoot root)
    {
        var defaults = new VipOptions();
        return defaults with
        {
            KeepalivedConfigPath = root.Resolve(defaults.KeepalivedConfigPath),
            TrackFilePath = root.Resolve(defaults.TrackFilePath),
            AdminKubeconfigPath = root.Resolve(defaults.AdminKubeconfigPath),
            SuperAdminKubeconfigPath = root.Resolve(defaults.SuperAdminKubeconfigPath),
        };
    }
}
