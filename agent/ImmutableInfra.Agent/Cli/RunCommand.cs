using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Agent.Hosting;
using ImmutableInfra.Grpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog.Extensions.Logging;

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
        using var loggerFactory = new SerilogLoggerFactory(serilog);
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(loggerFactory);
        try
        {
            AgentServices.Register(services, options, CoordinationOptions.From(options));
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"immutableinfra-agent: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        await using var provider = services.BuildServiceProvider();
        try
        {
            // Built now so a bad CA bundle fails the start with its reason instead of inside the hosted service.
            provider.GetRequiredService<GrpcChannel>();
        }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync($"immutableinfra-agent: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        var logger = loggerFactory.CreateLogger("ImmutableInfra.Agent.Configuration");
        foreach (var warning in result.Warnings)
        {
            HostingLog.ConfigWarning(logger, warning.Field, warning.Problem);
        }

        var service = provider.GetServices<IHostedService>().Single();
        return await AgentHost.RunAsync(service, ShutdownTimeout, loggerFactory.CreateLogger("ImmutableInfra.Agent.Hosting")).ConfigureAwait(false);
    }
}
