using ImmutableInfra.Agent.Cli;
using ImmutableInfra.Agent.Configuration;

namespace ImmutableInfra.Agent;

/// <summary>Entry point: parses the command line and dispatches; usage errors exit 2, bad config 1.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var (commandLine, error) = CommandLine.Parse(args);
        if (commandLine is null)
        {
            await Console.Error.WriteLineAsync($"immutableinfra-agent: {error}\n\n{CommandLine.Usage}").ConfigureAwait(false);
            return 2;
        }

        var loader = new AgentConfigLoader();
        return commandLine.Command switch
        {
            "inventory" => InventoryCommand.Run(commandLine, Console.Out),
            "check-config" => CheckConfigCommand.Run(commandLine, loader, Console.Out, Console.Error),
            _ => await RunCommand.RunAsync(commandLine, loader, Console.Error).ConfigureAwait(false),
        };
    }
}
