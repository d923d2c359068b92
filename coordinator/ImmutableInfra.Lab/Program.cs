using System.Globalization;
using ImmutableInfra.Lab;
using Microsoft.Extensions.Logging;

const string Usage = """
    usage: immutableinfra-lab [--hosts N] [--control-planes N] [--workers N] [--coordinators N] [--timeout SECONDS] [--no-teardown] [--verbose]
    Starts an in-memory API server, coordinator replicas and N simulated hosts running the real agent,
    creates a cluster like Cluster API would, and exits 0 once every machine is provisioned (and, unless
    --no-teardown, every host is reset and Available again).
    """;

var options = new LabOptions();
var verbose = false;
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
await Console.Out.WriteLineAsync($"lab: {options.Hosts} hosts, {options.ControlPlanes} control planes + {options.Workers} workers, {options.Coordinators} coordinator replica(s)");
await using var lab = await LabEnvironment.StartAsync(options, loggers, stop.Token);
try
{
    return await new LabRun(lab, Console.Out).RunAsync(stop.Token);
}
catch (TimeoutException e)
{
    await Console.Error.WriteLineAsync($"lab: FAILED: {e.Message}");
    return 1;
}

LabOptions SetVerbose(LabOptions current)
{
    verbose = true;
    return current;
}
