using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Vip;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>The agent as a Generic Host: its services, hosted services and host options, for the daemon and for in-process use.</summary>
internal static class AgentHost
{
    /// <summary>Below the unit's TimeoutStopSec (30 s), so a stop never escalates to SIGKILL.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A builder with every agent service registered and <c>AddSystemd()</c> applied (it takes effect only when systemd
    /// started the process). Callers add logging, and tests or the lab replace OS seams by registering their own after this.
    /// </summary>
    /// <exception cref="ArgumentException">The coordination or VIP settings are invalid.</exception>
    public static HostApplicationBuilder CreateBuilder(AgentOptions options, CoordinationOptions coordination, VipOptions? vip = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(coordination);
        coordination.Validate();
        vip ??= DefaultVipOptions(new HostRoot(options.RootDir));
        vip.Validate();

        // No default configuration sources or logging providers: the agent's options come from agent.yaml and the
        // environment (AgentConfigLoader), its logging from Serilog.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.Configure<HostOptions>(host =>
        {
            host.ShutdownTimeout = ShutdownTimeout;
            host.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost;
        });
        builder.Services.AddSingleton<ISystemdNotifier, NoSystemdNotifier>();
        // READY=1 once every hosted service has started, STOPPING=1 on stop, SIGTERM handling: the library's lifetime.
        builder.Services.AddSystemd();
        builder.Services.AddAgent(options, coordination, vip);
        return builder;
    }

    /// <summary>Re-rooted like every other host path, so tests and the lab's simulated hosts never touch this machine's /etc or /run.</summary>
    public static VipOptions DefaultVipOptions(HostRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var defaults = new VipOptions();
        return defaults with
        {
            KeepalivedConfigPath = root.Resolve(defaults.KeepalivedConfigPath),
            TrackFilePath = root.Resolve(defaults.TrackFilePath),
            AdminKubeconfigPath = root.Resolve(defaults.AdminKubeconfigPath),
            SuperAdminKubeconfigPath = root.Resolve(defaults.SuperAdminKubeconfigPath),
        };
    }

    /// <summary>Whether a hosted service ended with a fault (the host then stopped on its own; the exit code must say so).</summary>
    public static bool AnyServiceFailed(IServiceProvider services) =>
        services.GetServices<IHostedService>().OfType<BackgroundService>().Any(s => s.ExecuteTask is { IsFaulted: true });
}
