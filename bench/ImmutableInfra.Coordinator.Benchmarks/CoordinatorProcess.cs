using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ImmutableInfra.Coordinator.Benchmarks;

/// <summary>
/// The real <c>immutableinfra-coordinator serve</c> in its own process (h2c agent API, the in-memory API
/// server through a kubeconfig file), so its CPU time and memory are its own. Its log goes to a file;
/// disposing kills it.
/// </summary>
internal sealed class CoordinatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly HttpClient _http;

    private CoordinatorProcess(Process process, StreamWriter log, Uri agentApi, Uri httpBase)
    {
        _process = process;
        _log = log;
        AgentApiAddress = agentApi;
        _http = new HttpClient { BaseAddress = httpBase, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri AgentApiAddress { get; }

    public int Pid => _process.Id;

    public ProcessSample Sample() => ProcessSample.Read(_process.Id);

    public static async Task<CoordinatorProcess> StartAsync(string dll, string kubeconfig, string logFile, IReadOnlyList<string> extraArgs, IReadOnlyList<string> environment, TimeSpan timeout, CancellationToken ct)
    {
        var agentPort = FreePort();
        var httpPort = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "exec", dll, "serve", "--kubeconfig", kubeconfig, "--insecure",
                     "--agent-api-address", $"127.0.0.1:{agentPort}", "--http-address", $"127.0.0.1:{httpPort}",
                     // Every simulated host dials from 127.0.0.1, as no real fleet does: lift the per-source bound only.
                     "--registration-rate-per-source", "100000", "--registration-burst-per-source", "100000",
                 }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var variable in environment)
        {
            var equals = variable.IndexOf('=', StringComparison.Ordinal);
            start.Environment[variable[..equals]] = variable[(equals + 1)..];
        }

        var log = new StreamWriter(logFile) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the coordinator");
        process.OutputDataReceived += (_, e) => WriteLine(log, e.Data);
        process.ErrorDataReceived += (_, e) => WriteLine(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var coordinator = new CoordinatorProcess(process, log,
            new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{agentPort}")),
            new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{httpPort}")));
        try
        {
            await coordinator.WaitReadyAsync(timeout, ct).ConfigureAwait(false);
        }
        catch
        {
            await coordinator.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return coordinator;
    }

    public async Task<MetricsText> MetricsAsync(CancellationToken ct) =>
        new(await _http.GetStringAsync("/metrics", ct).ConfigureAwait(false));

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the coordinator exited with code {_process.ExitCode} before it was ready (see its log)");
            }

            try
            {
                using var response = await _http.GetAsync("/readyz", ct).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (deadline.Elapsed > timeout)
            {
                throw new TimeoutException($"the coordinator was not ready within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(200, ct).ConfigureAwait(false);
        }
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            if (log.BaseStream.CanWrite)
            {
                log.WriteLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
