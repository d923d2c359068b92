using System.Globalization;

namespace ImmutableInfra.Coordinator.Benchmarks;

/// <summary>The benchmark's shape and bounds, from the command line.</summary>
internal sealed record ScaleOptions
{
    public int Hosts { get; init; } = 1_000;

    public int Machines { get; init; } = 500;

    /// <summary>Machines created and deleted once before the measured round (JIT warm-up); 0 skips it.</summary>
    public int WarmupMachines { get; init; } = 20;

    /// <summary>The steady-state measurement window.</summary>
    public TimeSpan SteadyWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Quiet time after enrollment before the window opens (late writes of enrollment settle).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>HTTP/2 connections the simulated agents share (the server allows 1,000 streams per connection).</summary>
    public int Connections { get; init; }

    /// <summary>Registrations in flight at once, as a fleet powering on staggers itself.</summary>
    public int RegistrationConcurrency { get; init; } = 100;

    /// <summary>How long a simulated agent "runs kubeadm" between receiving its bootstrap data and reporting Provisioned.</summary>
    public TimeSpan BootstrapTime { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Delete the machines at the end and wait until every host is Available again.</summary>
    public bool Teardown { get; init; } = true;

    /// <summary>The coordinator's built dll; default: the Release build in this repository.</summary>
    public string? CoordinatorDll { get; init; }

    /// <summary>Extra arguments for <c>immutableinfra-coordinator serve</c>.</summary>
    public IReadOnlyList<string> CoordinatorArgs { get; init; } = [];

    /// <summary>The Deployment manifest whose container environment the coordinator runs with.</summary>
    public string? DeploymentManifest { get; init; }

    /// <summary>Environment for the coordinator's process (NAME=VALUE) on top of the Deployment's, e.g. other GC settings.</summary>
    public IReadOnlyList<string> CoordinatorEnvironment { get; init; } = [];

    /// <summary>Where the coordinator's pid is written, so a wrapper can kill it if this process dies first.</summary>
    public string? PidFile { get; init; }

    public TimeSpan EnrollmentTimeout => TimeSpan.FromSeconds(120 + Hosts / 20.0);

    public TimeSpan PhaseTimeout { get; init; } = TimeSpan.FromSeconds(180);

    public int EffectiveConnections => Connections > 0 ? Connections : Math.Max(2, (Hosts + 999) / 1000 + 1);

    public static ScaleOptions Parse(string[] args)
    {
        var options = new ScaleOptions();
        var coordinatorArgs = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--hosts" => options with { Hosts = Int() },
                "--machines" => options with { Machines = Int() },
                "--warmup-machines" => options with { WarmupMachines = Int() },
                "--steady-seconds" => options with { SteadyWindow = TimeSpan.FromSeconds(Int()) },
                "--settle-seconds" => options with { Settle = TimeSpan.FromSeconds(Int()) },
                "--connections" => options with { Connections = Int() },
                "--registration-concurrency" => options with { RegistrationConcurrency = Int() },
                "--bootstrap-ms" => options with { BootstrapTime = TimeSpan.FromMilliseconds(Int()) },
                "--phase-timeout-seconds" => options with { PhaseTimeout = TimeSpan.FromSeconds(Int()) },
                "--no-teardown" => options with { Teardown = false },
                "--coordinator" => options with { CoordinatorDll = Next() },
                "--coordinator-arg" => options with { CoordinatorArgs = [.. options.CoordinatorArgs, Next()] },
                "--deployment-manifest" => options with { DeploymentManifest = Next() },
                "--coordinator-env" => options with { CoordinatorEnvironment = [.. options.CoordinatorEnvironment, Variable(Next())] },
                "--pid-file" => options with { PidFile = Next() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }

        if (options.Hosts < 1 || options.Machines < 0 || options.Machines > options.Hosts || options.WarmupMachines < 0 || options.WarmupMachines > options.Hosts)
        {
            throw new ArgumentException("--hosts must be >= 1 and --machines and --warmup-machines between 0 and --hosts");
        }

        if (options.SteadyWindow <= TimeSpan.Zero || options.RegistrationConcurrency < 1)
        {
            throw new ArgumentException("--steady-seconds and --registration-concurrency must be positive");
        }

        return options;
    }

    private static string Variable(string value) =>
        value.IndexOf('=', StringComparison.Ordinal) > 0 ? value : throw new ArgumentException($"--coordinator-env takes NAME=VALUE, not \"{value}\"");
}
