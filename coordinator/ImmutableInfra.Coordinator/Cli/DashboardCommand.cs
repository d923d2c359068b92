using System.CommandLine;
using ImmutableInfra.Dashboard;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Coordinator.Cli;

/// <summary>
/// <c>kubectl baremetal dashboard</c>: the read-only fleet view on 127.0.0.1, through the user's kubeconfig
/// (the root's --kubeconfig and --context), so Kubernetes RBAC decides what it shows.
/// </summary>
internal static class DashboardCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var port = new Option<int>("--port", "-p") { Description = "port on 127.0.0.1 (0 picks a free one)", DefaultValueFactory = _ => 8765 };
        var noBrowser = new Option<bool>("--no-browser") { Description = "only print the URL; do not open a browser" };
        var command = new Command("dashboard", "a live, read-only web view of pools, hosts, machines, clusters and warnings on 127.0.0.1") { port, noBrowser };
        command.SetAction(async (parse, ct) =>
        {
            var options = new DashboardOptions
            {
                Port = parse.GetValue(port),
                Kubeconfig = parse.GetValue<string?>("--kubeconfig"),
                Context = parse.GetValue<string?>("--context"),
            };
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
            try
            {
                return await DashboardRunner.RunAsync(options, !parse.GetValue(noBrowser), output, loggers, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or IOException or k8s.Exceptions.KubeConfigException)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return e is ArgumentException ? ExitCodes.Usage : ExitCodes.Failed;
            }
        });
        return command;
    }
}
