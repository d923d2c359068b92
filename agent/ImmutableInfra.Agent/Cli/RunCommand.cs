using ImmutableInfra.Agent.Bootstrap;
using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Hosting;
using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Reset;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace ImmutableInfra.Agent.Cli;

/// <summary>`run`: validates the config, then runs the host until SIGTERM.</summary>
internal static class RunCommand
{
    /// <summary>Below systemd's default TimeoutStopSec (90 s) and the unit's 30 s, so a stop never escalates to SIGKILL.</summary>
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(20);

    public static async Task<int> RunAsync(CommandLine commandLine, AgentConfigLoader loader, TextWriter error)
    {
        var result = loader.Load(commandLine.ConfigPath);
        if (!result.IsValid)
        {
            CheckConfigCommand.Print(result, commandLine.ConfigPath, error);
            return 1;
        }

        var options = result.Options!;
        using var serilog = AgentLogging.Create(options.LogFormat);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(serilog);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        Register(builder.Services, options);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ImmutableInfra.Agent.Configuration");
        foreach (var warning in result.Warnings)
        {
            HostingLog.ConfigWarning(logger, warning.Field, warning.Problem);
        }

        await host.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>Everything the Sync loop will drive: inventory, bootstrap executor, resetter, systemd.</summary>
    private static void Register(IServiceCollection services, AgentOptions options)
    {
        services.AddSingleton(options);
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
            sp.GetRequiredService<ISystemd>(), sp.GetRequiredService<BootstrapOptions>(), sp.GetRequiredService<ILogger<BootstrapExecutor>>()));
        services.AddSingleton(sp => new DiskWiper(
            sp.GetRequiredService<ICommandRunner>(), sp.GetRequiredService<IBlockDeviceWriter>(), sp.GetRequiredService<ILogger<DiskWiper>>()));
        services.AddSingleton(sp => new HostResetter(
            sp.GetRequiredService<HostRoot>(), sp.GetRequiredService<ICommandRunner>(),
            () => sp.GetRequiredService<HostInventoryReader>().Snapshot(), sp.GetRequiredService<DiskWiper>(), sp.GetRequiredService<BootstrapJournal>(),
            new ResetOptions { PersistentDisks = options.PersistentDisks }, sp.GetRequiredService<ILogger<HostResetter>>()));
        services.AddSingleton(_ => SdNotifier.FromEnvironment());
        services.AddSingleton<ISdNotifier>(sp => sp.GetRequiredService<SdNotifier>());
        services.AddSingleton(sp => new AgentStatus(sp.GetRequiredService<ISdNotifier>()));
        services.AddHostedService(sp => new AgentHostedService(
            options, sp.GetRequiredService<HostInventoryReader>(), sp.GetRequiredService<ISdNotifier>(), sp.GetRequiredService<AgentStatus>(),
            WatchdogSettings.FromEnvironment(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AgentHostedService>>()));
    }
}
