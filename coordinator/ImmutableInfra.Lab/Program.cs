using System.Globalization;
using ImmutableInfra.Lab;
using Microsoft.Extensions.Logging;

const string Usage = """
    usage: immutableinfra-lab [--hosts N] [--control-planes N] [--workers N] [--coordinators N] [--timeout SECONDS] [--no-teardown]
                              [--keep [--api-port PORT] [--kubeconfig PATH] [--dashboard-port PORT]] [--verbose]
    Starts an in-memory API server, coordinator replicas and N simulated hosts running the real agent,
    creates a cluster like Cluster API would, and exits 0 once every machine is provisioned (and, unless
    --no-teardown, every host is reset and Available again). --keep (or the first word "serve") keeps the
    cluster and stays up for kubectl until Ctrl-C or SIGTERM: it writes a kubeconfig (default
    $TMPDIR/immutableinfra-lab/kubeconfig) for the API server on https://127.0.0.1:PORT (default 6443), and
    serves the dashboard from the start, so the cluster can be watched coming up (http://127.0.0.1:8765/).
    """;

var options = new LabOptions();
var verbose = false;
var dashboardPort = 8765;
try
{
    for (var i = 0; i < args.Length; i++)
    {
        int Next() => i + 1 < args.Length && int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"{args[i - 1]} needs a number");
        options = args[i] switch
        {
            "--hosts" => options with { Hosts = Next() },
            "--control-planes" => options with { ControlPlanes = Next() },
            "--workers" => options with { Workers = Next() },
            "--coordinators" => options with { Coordinators = Next() },
            "--timeout" => options with { Timeout = TimeSpan.FromSeconds(Next()) },
            "--no-teardown" => options with { Teardown = false },
            "--keep" or "serve" => options with { Keep = true, Teardown = false },
            "--api-port" => options with { ApiPort = Next() },
            "--dashboard-port" => SetDashboardPort(options, Next()),
            "--kubeconfig" => options with { KubeconfigPath = i + 1 < args.Length ? args[++i] : throw new ArgumentException("--kubeconfig needs a path") },
            "--verbose" => SetVerbose(options),
            "-h" or "--help" => throw new OperationCanceledException(),
            _ => throw new ArgumentException($"unknown option '{args[i]}'"),
        };
    }

    options.Validate();
}
catch (OperationCanceledException)
{
    Console.WriteLine(Usage);
    return 0;
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}\n{Usage}");
    return 2;
}

using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning));
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

// SIGTERM stops the lab as Ctrl-C does: hosts, replicas and the API server are disposed, then it exits 0.
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
await Console.Out.WriteLineAsync($"lab: {options.Hosts} hosts, {options.ControlPlanes} control planes + {options.Workers} workers, {options.Coordinators} coordinator replica(s)");
await using var lab = await LabEnvironment.StartAsync(options, loggers, stop.Token);
// A kept lab serves the dashboard before the run, so a newcomer can watch the cluster come up.
await using var dashboard = options.Keep ? await LabDashboard.StartAsync(lab, dashboardPort, Console.Out, stop.Token) : null;
try
{
    var result = await new LabRun(lab, Console.Out).RunAsync(stop.Token);
    if (result == 0 && options.Keep)
    {
        await new LabKeep(lab, Console.Out).ServeAsync(stop.Token);
    }

    return result;
}
catch (TimeoutException e)
{
    await Console.Error.WriteLineAsync($"lab: FAILED: {e.Message}");
    return 1;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("lab: stopped before the run finished");
    return 130;
}

LabOptions SetVerbose(LabOptions current)
{
    verbose = true;
    return current;
}

LabOptions SetDashboardPort(LabOptions current, int port)
{
    dashboardPort = port is > 0 and < 65536 ? port : throw new ArgumentException($"--dashboard-port {port} is not a TCP port");
    return current;
}
