using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Agent.Hosting;
using Microsoft.Extensions.Logging;

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
        using var loggerFactory = new SerilogLoggers(serilog);
        AgentGraph graph;
        try
        {
            // Built whole now, so bad settings or an unreadable CA bundle fail the start with their reason.
            graph = new AgentGraph(options, CoordinationOptions.From(options), loggerFactory);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            await error.WriteLineAsync($"immutableinfra-agent: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        using var disposeGraph = graph;
        var logger = loggerFactory.CreateLogger("ImmutableInfra.Agent.Configuration");
        foreach (var warning in result.Warnings)
        {
            HostingLog.ConfigWarning(logger, warning.Field, warning.Problem);
        }

        return await AgentHost.RunAsync(graph.Service, ShutdownTimeout, loggerFactory.CreateLogger("ImmutableInfra.Agent.Hosting")).ConfigureAwait(false);
    }
}
