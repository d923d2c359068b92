using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Agent.Hosting;
using ImmutableInfra.Grpc;
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
        try
        {
            AgentServices.Register(builder.Services, options, CoordinationOptions.From(options));
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"immutableinfra-agent: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        using var host = builder.Build();
        try
        {
            // Built now so a bad CA bundle fails the start with its reason instead of inside the hosted service.
            host.Services.GetRequiredService<GrpcChannel>();
        }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync($"immutableinfra-agent: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ImmutableInfra.Agent.Configuration");
        foreach (var warning in result.Warnings)
        {
            HostingLog.ConfigWarning(logger, warning.Field, warning.Problem);
        }

        await host.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
