using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Agent.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;

namespace ImmutableInfra.Agent.Cli;

/// <summary>`run`: validates the config, then runs the agent's host until SIGTERM.</summary>
internal static class RunCommand
{
    public static async Task<int> RunAsync(CommandLine commandLine, AgentConfigLoader loader, TextWriter error)
    {
        var result = loader.Load(commandLine.ConfigPath);
        if (!result.IsValid)
        {
            CheckConfigCommand.Print(result, commandLine.ConfigPath, error);
            return 1;
        }

        var options = result.Options!;
        IHost host;
        try
        {
            var builder = AgentHost.CreateBuilder(options, CoordinationOptions.From(options));
            builder.Services.AddSerilog(AgentLogging.Create(options.LogFormat), dispose: true);
            host = builder.Build();
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"immutableinfra-agent: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        using (host)
        {
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ImmutableInfra.Agent.Configuration");
            foreach (var warning in result.Warnings)
            {
                HostingLog.ConfigWarning(logger, warning.Field, warning.Problem);
            }

            try
            {
                await host.StartAsync().ConfigureAwait(false);
                await host.WaitForShutdownAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // A service that cannot be built (an unreadable CA bundle) fails the start with its reason.
                await error.WriteLineAsync($"immutableinfra-agent: {e.Message}").ConfigureAwait(false);
                return 1;
            }

            // A hosted service that failed stopped the host: exit non-zero so systemd restarts the unit.
            return AgentHost.AnyServiceFailed(host.Services) ? 1 : 0;
        }
    }
}
