using System.CommandLine;
using System.Globalization;
using ImmutableInfra.Coordinator.Hosting;
using ImmutableInfra.Kubernetes.Config;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Coordinator.Cli;

/// <summary><c>serve</c>: runs one coordinator replica until SIGTERM.</summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var kube = KubeOptions.Create();
        var ns = new Option<string>("--namespace") { Description = "namespace of the leader and replica Leases", DefaultValueFactory = _ => "immutableinfra-system" };
        var agentApi = new Option<string>("--agent-api-address") { Description = "agent gRPC API listen address", DefaultValueFactory = _ => ":9443" };
        var http = new Option<string>("--http-address") { Description = "/metrics, /healthz, /readyz listen address", DefaultValueFactory = _ => ":8080" };
        var cert = new Option<string?>("--tls-cert-file") { Description = "PEM certificate of the agent API" };
        var key = new Option<string?>("--tls-key-file") { Description = "PEM private key of the agent API" };
        var insecure = new Option<bool>("--insecure") { Description = "serve the agent API without TLS (lab only)" };
        var leaderElect = new Option<bool>("--leader-elect") { Description = "run controllers only while holding the leader Lease", DefaultValueFactory = _ => true };
        var grace = new Option<string>("--offline-grace-period") { Description = "a host is Offline after this long without a stream", DefaultValueFactory = _ => "2m" };
        var shutdownDelay = new Option<string>("--shutdown-delay")
        {
            Description = "on SIGTERM, keep listening this long after /readyz turned 503 (Service endpoints catch up), then drain",
            DefaultValueFactory = _ => "0s",
        };
        var backoff = new Option<string>("--agent-max-reconnect-backoff") { Description = "the longest reconnect backoff agents use (spreads a fleet's return after an outage)", DefaultValueFactory = _ => "60s" };
        var defaults = new CoordinatorOptions();
        var apiQps = new Option<double>("--kube-api-qps") { Description = "Kubernetes API requests per second (sustained) for controllers and the agent API, when --kube-api-rate-limit applies it", DefaultValueFactory = _ => defaults.ApiQps };
        var apiBurst = new Option<int>("--kube-api-burst") { Description = "Kubernetes API requests allowed in a burst above --kube-api-qps", DefaultValueFactory = _ => defaults.ApiBurst };
        var sourceRate = new Option<double>("--registration-rate-per-source")
        {
            Description = "registrations per second accepted from one source address (IPv6: one /64), counted before the token is checked",
            DefaultValueFactory = _ => defaults.RegistrationsPerSecondPerSource,
        };
        var sourceBurst = new Option<int>("--registration-burst-per-source")
        {
            Description = "registrations allowed in a burst from one source address above --registration-rate-per-source",
            DefaultValueFactory = _ => defaults.RegistrationBurstPerSource,
        };
        var apiRateLimit = new Option<string>("--kube-api-rate-limit")
        {
            Description = "auto: apply --kube-api-qps/--kube-api-burst only while the API server does not report API Priority and Fairness; always; off",
            DefaultValueFactory = _ => "auto",
        };
        apiRateLimit.AcceptOnlyFromAmong("auto", "always", "off");
        var command = new Command("serve", "run a coordinator replica (controllers on the leader, the agent API on every replica)")
        {
            kube.Kubeconfig, kube.Context, ns, agentApi, http, cert, key, insecure, leaderElect, grace, shutdownDelay, backoff, apiQps, apiBurst, apiRateLimit,
            sourceRate, sourceBurst,
        };
        command.SetAction(async (parse, ct) =>
        {
            CoordinatorOptions options;
            KubeConnectionSettings settings;
            try
            {
                options = new CoordinatorOptions
                {
                    Namespace = parse.GetValue(ns)!,
                    AgentApiEndpoint = CoordinatorCommandLine.ParseEndpoint(parse.GetValue(agentApi)!, "--agent-api-address"),
                    HttpEndpoint = CoordinatorCommandLine.ParseEndpoint(parse.GetValue(http)!, "--http-address"),
                    TlsCertificateFile = parse.GetValue(cert),
                    TlsPrivateKeyFile = parse.GetValue(key),
                    Insecure = parse.GetValue(insecure),
                    LeaderElect = parse.GetValue(leaderElect),
                    OfflineGracePeriod = DurationText.Parse(parse.GetValue(grace)!, "--offline-grace-period"),
                    AgentMaxReconnectBackoff = DurationText.Parse(parse.GetValue(backoff)!, "--agent-max-reconnect-backoff"),
                    ApiQps = parse.GetValue(apiQps),
                    ApiBurst = parse.GetValue(apiBurst),
                    ApiRateLimit = ParseRateLimit(parse.GetValue(apiRateLimit)!),
                    ShutdownDelay = DurationText.Parse(parse.GetValue(shutdownDelay)!, "--shutdown-delay"),
                    StopOnSignals = true,
                    RegistrationsPerSecondPerSource = parse.GetValue(sourceRate),
                    RegistrationBurstPerSource = parse.GetValue(sourceBurst),
                };
                options.Validate();
                settings = kube.Load(parse);
            }
            catch (Exception e) when (e is ArgumentException or KubeConfigException)
            {
                await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                o.UseUtcTimestamp = true;
            }).SetMinimumLevel(LogLevel.Information));
            await using var server = await CoordinatorServer.StartAsync(settings, options, loggers, ct: ct).ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"serving agents on {server.AgentApiAddress}, metrics on {server.HttpAddress}")).ConfigureAwait(false);
            // SIGTERM and SIGINT reach the host's lifetime; a loop failing for good stops the replica too.
            await Task.WhenAny(server.StopRequested, server.Completion).ConfigureAwait(false);
            await server.StopAsync().ConfigureAwait(false);
            if (server.Completion.IsFaulted)
            {
                await error.WriteLineAsync($"error: {server.Completion.Exception?.InnerException?.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static ApiRateLimit ParseRateLimit(string text) => text switch
    {
        "always" => ApiRateLimit.Always,
        "off" => ApiRateLimit.Off,
        _ => ApiRateLimit.Auto,
    };
}

/// <summary>Durations as operators write them: 500ms, 30s, 2m, 1h.</summary>
internal static class DurationText
{
    public static TimeSpan Parse(string text, string flag)
    {
        var units = new (string Suffix, double Seconds)[] { ("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600) };
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0)
            {
                return TimeSpan.FromSeconds(value * seconds);
            }
        }

        throw new ArgumentException($"{flag}: \"{text}\" is not a duration like 500ms, 30s, 2m or 1h");
    }
}

/// <summary>--kubeconfig and --context, shared by every command that talks to the management cluster.</summary>
internal sealed class KubeOptions
{
    private KubeOptions()
    {
    }

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { Description = "kubeconfig file (default: $KUBECONFIG, ~/.kube/config, or in-cluster)" };

    public Option<string?> Context { get; } = new("--context") { Description = "kubeconfig context" };

    public static KubeOptions Create() => new();

    public KubeConnectionSettings Load(ParseResult parse)
    {
        var file = parse.GetValue(Kubeconfig);
        var context = parse.GetValue(Context);
        if (file is not null)
        {
            return KubeConfigLoader.FromProcess().Load(context, file);
        }

        var inCluster = InClusterConfigLoader.FromProcess();
        return inCluster.IsInCluster ? inCluster.Load() : KubeConfigLoader.FromProcess().Load(context);
    }
}
