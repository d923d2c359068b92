using Grpc.Net.Client;
using ImmutableInfra.Agent.Bootstrap;
using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Reset;
using ImmutableInfra.Agent.Vip;
using ImmutableInfra.Contract.V1;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>The agent's services in the Generic Host's container: OS seams, inventory, bootstrap, reset, the coordinator link and the VIP.</summary>
internal static class AgentServices
{
    public static IServiceCollection AddAgent(this IServiceCollection services, AgentOptions options, CoordinationOptions coordination, VipOptions vip)
    {
        services.AddSingleton(options);
        services.AddSingleton(coordination);
        services.AddSingleton(vip);
        services.AddSingleton(TimeProvider.System);
        // The jitter source of every retry and heartbeat (tests pin it).
        services.AddSingleton<Func<double>>(Jitter.Sample);
        services.AddSingleton(new HostRoot(options.RootDir));

        // OS seams: one real implementation each; tests and the lab register their fakes after these.
        services.AddSingleton<ICommandRunner, ProcessCommandRunner>();
        services.AddSingleton<ISystemd>(_ => new DbusSystemd());
        services.AddSingleton<IBlockDeviceWriter, BlockDeviceWriter>();
        services.AddSingleton<INetworkAddressSource, NetworkInterfaceAddressSource>();
        services.AddSingleton<ILocalAddresses, NetworkInterfaceLocalAddresses>();
        services.AddSingleton<ILeaseApiConnector>(_ => new KubeconfigLeaseApiConnector(vip));
        services.AddSingleton(sp => new IdleHeapRelease(sp.GetRequiredService<TimeProvider>(), IdleHeapRelease.CollectAndDecommit));

        services.AddSingleton<HostInventoryReader>();
        services.AddSingleton(new CredentialStore(options.StateDir));
        services.AddSingleton(new BootstrapJournal(options.StateDir));
        services.AddSingleton(new ConvergedStateStore(options.StateDir));
        services.AddSingleton(new BootstrapOptions());
        services.AddSingleton<BootstrapExecutor>();
        services.AddSingleton<DiskWiper>();
        services.AddSingleton(sp => new HostResetter(
            sp.GetRequiredService<HostRoot>(), sp.GetRequiredService<ICommandRunner>(), sp.GetRequiredService<HostInventoryReader>().Snapshot,
            sp.GetRequiredService<DiskWiper>(), sp.GetRequiredService<BootstrapJournal>(), new ResetOptions { PersistentDisks = options.PersistentDisks },
            sp.GetRequiredService<ILogger<HostResetter>>()));

        services.AddSingleton<AgentStatus>();
        services.AddSingleton<LinkStatus>();
        services.AddSingleton(_ => CoordinatorChannelFactory.Create(options, coordination));
        // The generated client has several constructors (channel, call invoker, configuration), so DI is told which.
        services.AddSingleton(sp => new AgentService.AgentServiceClient(sp.GetRequiredService<GrpcChannel>()));
        services.AddSingleton(sp => new ObservedStateTracker(sp.GetRequiredService<ConvergedStateStore>().Load()));
        services.AddSingleton(sp => new ReconnectBackoff(
            coordination.ReconnectBackoffMin, coordination.ReconnectBackoffMax, sp.GetRequiredService<Func<double>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SyncPacing>();
        services.AddSingleton<BootstrapDataFetcher>();
        services.AddSingleton<DesiredStateConverger>();
        services.AddSingleton<Enroller>();
        services.AddSingleton<SyncSession>();
        services.AddSingleton<CoordinatorLink>();

        // The VIP role only arrives over an enrolled stream; the Lease identity is this host's MachineInventory name.
        services.AddSingleton(sp => new KeepalivedConfigFile(vip, sp.GetRequiredService<ISystemd>()));
        services.AddSingleton(sp =>
        {
            var credentials = sp.GetRequiredService<CredentialStore>();
            return new ControlPlaneVip(
                vip, sp.GetRequiredService<ILocalAddresses>(), sp.GetRequiredService<KeepalivedConfigFile>(), new TrackFileVrrpGate(vip.TrackFilePath),
                sp.GetRequiredService<ILeaseApiConnector>(), sp.GetRequiredService<ObservedStateTracker>(),
                () => credentials.Load()?.InventoryName ?? Environment.MachineName, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>());
        });

        // Started in this order, stopped in the reverse: the VIP is released before the link closes.
        services.AddHostedService<AgentLifecycle>();
        services.AddHostedService<SyncLinkService>();
        services.AddHostedService<VipArbiterService>();
        services.AddSingleton(sp => new WatchdogService(
            sp.GetRequiredService<Microsoft.Extensions.Hosting.Systemd.ISystemdNotifier>(), sp.GetRequiredService<TimeProvider>(), WatchdogSettings.FromEnvironment()));
        services.AddHostedService(sp => sp.GetRequiredService<WatchdogService>());
        return services;
    }
}
