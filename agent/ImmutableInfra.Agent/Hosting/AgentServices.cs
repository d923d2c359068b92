using ImmutableInfra.Agent.Bootstrap;
using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Reset;
using ImmutableInfra.Agent.Vip;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>The agent's object graph: OS seams, inventory, bootstrap, reset, and the coordinator link driving them.</summary>
internal static class AgentServices
{
    /// <summary>Registers everything `run` needs. Tests register their fakes after this; the last registration wins.</summary>
    public static void Register(IServiceCollection services, AgentOptions options, CoordinationOptions coordination)
    {
        coordination.Validate();
        services.AddSingleton(options);
        services.AddSingleton(coordination);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new HostRoot(options.RootDir));
        services.AddSingleton<ICommandRunner, ProcessCommandRunner>();
        services.AddSingleton<ISystemd>(sp => new SystemctlSystemd(sp.GetRequiredService<ICommandRunner>()));
        services.AddSingleton<IBlockDeviceWriter, BlockDeviceWriter>();
        services.AddSingleton<INetworkAddressSource, NetworkInterfaceAddressSource>();
        services.AddSingleton(sp => new HostInventoryReader(sp.GetRequiredService<HostRoot>(), sp.GetRequiredService<INetworkAddressSource>()));
        services.AddSingleton(new CredentialStore(options.StateDir));
        services.AddSingleton(new BootstrapJournal(options.StateDir));
        services.AddSingleton(new BootstrapOptions());
        services.AddSingleton(sp => new BootstrapExecutor(
            sp.GetRequiredService<HostRoot>(), sp.GetRequiredService<BootstrapJournal>(), sp.GetRequiredService<ICommandRunner>(),
            sp.GetRequiredService<ISystemd>(), sp.GetRequiredService<BootstrapOptions>(), sp.Logger<BootstrapExecutor>()));
        services.AddSingleton(sp => new DiskWiper(
            sp.GetRequiredService<ICommandRunner>(), sp.GetRequiredService<IBlockDeviceWriter>(), sp.Logger<DiskWiper>()));
        services.AddSingleton(sp => new HostResetter(
            sp.GetRequiredService<HostRoot>(), sp.GetRequiredService<ICommandRunner>(),
            () => sp.GetRequiredService<HostInventoryReader>().Snapshot(), sp.GetRequiredService<DiskWiper>(), sp.GetRequiredService<BootstrapJournal>(),
            new ResetOptions { PersistentDisks = options.PersistentDisks }, sp.Logger<HostResetter>()));
        services.AddSingleton(_ => SdNotifier.FromEnvironment());
        services.AddSingleton<ISdNotifier>(sp => sp.GetRequiredService<SdNotifier>());
        services.AddSingleton(sp => new AgentStatus(sp.GetRequiredService<ISdNotifier>()));
        AddCoordination(services, options);
        AddVip(services, new HostRoot(options.RootDir));
        services.AddHostedService(sp => new AgentHostedService(
            options, sp.GetRequiredService<HostInventoryReader>(), sp.GetRequiredService<IAgentCoordination>(), sp.GetRequiredService<ISdNotifier>(),
            sp.GetRequiredService<AgentStatus>(), WatchdogSettings.FromEnvironment(), sp.GetRequiredService<TimeProvider>(),
            sp.Logger<AgentHostedService>()));
    }

    /// <summary>
    /// A typed logger made by the factory rather than resolved as ILogger&lt;T&gt;: resolving the open generic makes
    /// the NativeAOT runtime build Logger&lt;T&gt; at run time, where CreateLogger&lt;T&gt; is compiled ahead.
    /// </summary>
    private static ILogger<T> Logger<T>(this IServiceProvider sp) => sp.GetRequiredService<ILoggerFactory>().CreateLogger<T>();

    private static void AddCoordination(IServiceCollection services, AgentOptions options)
    {
        Func<double> random = Jitter.Sample;
        services.AddSingleton(sp => CoordinatorChannelFactory.Create(options, sp.GetRequiredService<CoordinationOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new AgentServiceClient(sp.GetRequiredService<GrpcChannel>()));
        services.AddSingleton(sp => new LinkStatus(sp.GetRequiredService<AgentStatus>()));
        services.AddSingleton(new ConvergedStateStore(options.StateDir));
        services.AddSingleton(sp => new ObservedStateTracker(sp.GetRequiredService<ConvergedStateStore>().Load()));
        services.AddSingleton(sp =>
        {
            var coordination = sp.GetRequiredService<CoordinationOptions>();
            return new ReconnectBackoff(coordination.ReconnectBackoffMin, coordination.ReconnectBackoffMax, random, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(sp => new SyncPacing(sp.GetRequiredService<CoordinationOptions>(), sp.GetRequiredService<ReconnectBackoff>()));
        services.AddSingleton(sp => new BootstrapDataFetcher(
            sp.GetRequiredService<AgentServiceClient>(), sp.GetRequiredService<CredentialStore>(), sp.GetRequiredService<CoordinationOptions>(),
            sp.GetRequiredService<LinkStatus>(), random, sp.GetRequiredService<TimeProvider>(), sp.Logger<BootstrapDataFetcher>()));
        services.AddSingleton(sp => new DesiredStateConverger(
            sp.GetRequiredService<ObservedStateTracker>(), sp.GetRequiredService<ConvergedStateStore>(), sp.GetRequiredService<BootstrapDataFetcher>(),
            sp.GetRequiredService<BootstrapExecutor>(), sp.GetRequiredService<HostResetter>(), sp.GetRequiredService<LinkStatus>(),
            sp.GetRequiredService<ControlPlaneVip>(), sp.Logger<DesiredStateConverger>()));
        services.AddSingleton(sp => new Enroller(
            options, sp.GetRequiredService<CoordinationOptions>(), sp.GetRequiredService<AgentServiceClient>(), sp.GetRequiredService<CredentialStore>(),
            sp.GetRequiredService<HostInventoryReader>(), sp.GetRequiredService<HostRoot>(), sp.GetRequiredService<SyncPacing>(),
            sp.GetRequiredService<ReconnectBackoff>(), sp.GetRequiredService<LinkStatus>(), random, sp.GetRequiredService<TimeProvider>(),
            sp.Logger<Enroller>()));
        services.AddSingleton(sp => new SyncSession(
            sp.GetRequiredService<AgentServiceClient>(), sp.GetRequiredService<ObservedStateTracker>(), sp.GetRequiredService<DesiredStateConverger>(),
            sp.GetRequiredService<HostInventoryReader>(), sp.GetRequiredService<HostRoot>(), sp.GetRequiredService<SyncPacing>(),
            sp.GetRequiredService<CoordinationOptions>(), sp.GetRequiredService<LinkStatus>(), random, sp.GetRequiredService<TimeProvider>(),
            sp.Logger<SyncSession>()));
        services.AddSingleton(sp => new CoordinatorLink(
            sp.GetRequiredService<Enroller>(), sp.GetRequiredService<SyncSession>(), sp.GetRequiredService<CredentialStore>(),
            sp.GetRequiredService<ReconnectBackoff>(), sp.GetRequiredService<CoordinationOptions>(), sp.GetRequiredService<LinkStatus>(),
            sp.GetRequiredService<TimeProvider>(), sp.Logger<CoordinatorLink>()));
        services.AddSingleton<IAgentCoordination>(sp => new AgentCoordination(
            sp.GetRequiredService<CoordinatorLink>(), sp.GetRequiredService<DesiredStateConverger>(), sp.GetRequiredService<ControlPlaneVip>(),
            sp.GetRequiredService<ObservedStateTracker>(), sp.GetRequiredService<LinkStatus>()));
    }

    private static void AddVip(IServiceCollection services, HostRoot root)
    {
        // Re-rooted like every other host path, so tests and the lab's simulated hosts never touch this machine's /etc or /run.
        var defaults = new VipOptions();
        var vip = defaults with
        {
            KeepalivedConfigPath = root.Resolve(defaults.KeepalivedConfigPath),
            TrackFilePath = root.Resolve(defaults.TrackFilePath),
            AdminKubeconfigPath = root.Resolve(defaults.AdminKubeconfigPath),
            SuperAdminKubeconfigPath = root.Resolve(defaults.SuperAdminKubeconfigPath),
        };
        vip.Validate();
        services.AddSingleton(vip);
        services.AddSingleton<ILocalAddresses, NetworkInterfaceLocalAddresses>();
        services.AddSingleton<IVrrpGate>(sp => new TrackFileVrrpGate(sp.GetRequiredService<VipOptions>().TrackFilePath));
        services.AddSingleton<ILeaseApiConnector>(sp => new KubeconfigLeaseApiConnector(sp.GetRequiredService<VipOptions>()));
        services.AddSingleton(sp => new KeepalivedConfigFile(sp.GetRequiredService<VipOptions>(), sp.GetRequiredService<ISystemd>()));
        services.AddSingleton(sp =>
        {
            var credentials = sp.GetRequiredService<CredentialStore>();
            // The VIP role only arrives over an enrolled stream; the Lease identity is this host's MachineInventory name.
            return new ControlPlaneVip(
                sp.GetRequiredService<VipOptions>(), sp.GetRequiredService<ILocalAddresses>(), sp.GetRequiredService<KeepalivedConfigFile>(),
                sp.GetRequiredService<IVrrpGate>(), sp.GetRequiredService<ILeaseApiConnector>(), sp.GetRequiredService<ObservedStateTracker>(),
                () => credentials.Load()?.InventoryName ?? Environment.MachineName, sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILoggerFactory>());
        });
    }
}
