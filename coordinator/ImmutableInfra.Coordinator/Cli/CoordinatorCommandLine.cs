using System.CommandLine;
using System.Net;

namespace ImmutableInfra.Coordinator.Cli;

/// <summary>
/// The command tree: <c>serve</c> runs a replica; the rest are operator commands against the management
/// cluster (installed as <c>kubectl-baremetal</c>, they run as <c>kubectl baremetal ...</c>).
/// Exit codes: 0 ok, 1 failed, 2 usage error, 3 not found.
/// </summary>
internal static class CoordinatorCommandLine
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("ImmutableInfra coordinator: Cluster API provider for bare-metal hosts, and its operator CLI");
        root.Subcommands.Add(ServeCommand.Create(output, error));
        OperatorCommands.AddTo(root, output, error);
        root.Subcommands.Add(DashboardCommand.Create(output, error));
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
            {
                await error.WriteLineAsync($"error: {problem.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync("run with --help for usage").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // serve stops gracefully through its host's lifetime, which takes SIGTERM and SIGINT itself; the
        // command line's own handling would end the process after two seconds, mid-drain.
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        if (parsed.CommandResult.Command.Name == "serve")
        {
            configuration.ProcessTerminationTimeout = null;
        }

        return await parsed.InvokeAsync(configuration).ConfigureAwait(false);
    }

    /// <summary>Parses "host:port", ":port" or "[v6]:port" into an endpoint; the name of the flag goes into the error.</summary>
    public static IPEndPoint ParseEndpoint(string text, string flag)
    {
        var value = text.StartsWith(':') ? "0.0.0.0" + text : text;
        return IPEndPoint.TryParse(value, out var endpoint) && endpoint.Port > 0
            ? endpoint
            : throw new ArgumentException($"{flag}: \"{text}\" is not an address:port");
    }
}

/// <summary>Process exit codes of the CLI.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int NotFound = 3;
}
