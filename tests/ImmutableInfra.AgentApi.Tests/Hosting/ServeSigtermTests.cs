using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Lab;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.AgentApi.Tests.Hosting;

/// <summary><c>immutableinfra-coordinator serve</c> as a real process against the in-memory API server, stopped as Kubernetes stops it.</summary>
public sealed class ServeSigtermTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Serve_Sigterm_GoesNotReady_EndsStreams_ReleasesLeases_Exits0()
    {
        await using var lab = await LabEnvironment.StartAsync(new LabOptions { Hosts = 0, Coordinators = 0 }, NullLoggerFactory.Instance, CancellationToken.None);
        using var work = new TempDirectory();
        var kubeconfig = Path.Combine(work.Path, "kubeconfig");
        lab.Server.WriteKubeConfig(kubeconfig, LabEnvironment.CoordinatorToken);
        var (agentPort, httpPort) = (FreePort(), FreePort());
        using var serve = Serve(kubeconfig, agentPort, httpPort, out var output);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(5) };
        await WaitAsync(async () => (await TryGetAsync(http, "/readyz")) == HttpStatusCode.OK, serve, output, "/readyz ok");
        await lab.CreatePoolAsync(CancellationToken.None);

        // A host with an open Sync stream, and both Leases held.
        using var channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{agentPort}"));
        var client = new AgentService.AgentServiceClient(channel);
        var host = await client.RegisterAsync(new RegisterRequest
        {
            Pool = $"{LabEnvironment.Namespace}/{LabEnvironment.PoolName}",
            RegistrationToken = lab.PoolToken,
            Identity = new Contract.V1.HostIdentity { SystemUuid = "51e7e400-0000-4000-8000-000000000001", Hostname = "draining" },
        }, deadline: DateTime.UtcNow + Bound);
        using var sync = client.Sync(new CallOptions(new Metadata { { "authorization", "Bearer " + host.Credential } }, DateTime.UtcNow + Bound));
        await sync.RequestStream.WriteAsync(new AgentMessage { Hello = new SyncHello { Namespace = host.Namespace, InventoryName = host.InventoryName } });
        Assert.True(await sync.ResponseStream.MoveNext(CancellationToken.None));
        var leases = lab.Api.Resource(KubeResources.Leases);
        var replica = await WaitForAsync(async () => (await leases.ListAsync(LabEnvironment.CoordinatorNamespace, cancellationToken: CancellationToken.None)).Items
            .FirstOrDefault(l => l.Metadata.Name!.StartsWith("immutableinfra-replica-", StringComparison.Ordinal)), serve, output, "the replica Lease");
        var identity = replica.Spec!.HolderIdentity!;
        await WaitAsync(async () => (await leases.GetAsync(LabEnvironment.CoordinatorNamespace, "immutableinfra-coordinator", CancellationToken.None)).Spec?.HolderIdentity == identity,
            serve, output, "the leader Lease held");

        Signal(serve.Id, "TERM");

        // Not ready at once (the listeners stay open for the shutdown delay), on /readyz and the gRPC health service.
        await WaitAsync(async () => (await TryGetAsync(http, "/readyz")) == HttpStatusCode.ServiceUnavailable, serve, output, "/readyz 503 after SIGTERM");
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, health.Status);
        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await sync.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        });
        Assert.Equal(StatusCode.Unavailable, ended.StatusCode);

        using var exited = new CancellationTokenSource(ExitBound);
        await serve.WaitForExitAsync(exited.Token);
        Assert.True(serve.ExitCode == 0, $"exit {serve.ExitCode}: {string.Join('\n', output)}");
        Assert.DoesNotContain((await leases.ListAsync(LabEnvironment.CoordinatorNamespace, cancellationToken: CancellationToken.None)).Items, l => l.Metadata.Name == replica.Metadata.Name);
        Assert.Null((await leases.GetAsync(LabEnvironment.CoordinatorNamespace, "immutableinfra-coordinator", CancellationToken.None)).Spec?.HolderIdentity);
        var record = await lab.Api.Resource(InfrastructureResources.MachineInventories).GetAsync(host.Namespace, host.InventoryName, CancellationToken.None);
        Assert.Null(record.Status?.ConnectedTo);
        Assert.Contains(output, l => l.Contains("stopped", StringComparison.Ordinal));
    }

    private static Process Serve(string kubeconfig, int agentPort, int httpPort, out ConcurrentQueue<string> output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[]
                 {
                     "exec", Path.Combine(AppContext.BaseDirectory, "immutableinfra-coordinator.dll"), "serve", "--kubeconfig", kubeconfig, "--insecure",
                     "--agent-api-address", $"127.0.0.1:{agentPort}", "--http-address", $"127.0.0.1:{httpPort}", "--shutdown-delay", "2s",
                 })
        {
            start.ArgumentList.Add(arg);
        }

        var lines = output = new ConcurrentQueue<string>();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => lines.Enqueue(e.Data ?? string.Empty);
        process.ErrorDataReceived += (_, e) => lines.Enqueue(e.Data ?? string.Empty);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static async Task<HttpStatusCode?> TryGetAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, Process serve, ConcurrentQueue<string> output, string what) =>
        await WaitForAsync(async () => await condition() ? (object)true : null, serve, output, what);

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, Process serve, ConcurrentQueue<string> output, string what)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Bound)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (serve.HasExited && what != "exit")
            {
                Assert.Fail($"serve exited ({serve.ExitCode}) before {what}: {string.Join('\n', output)}");
            }

            await Task.Delay(20);
        }

        Assert.Fail($"no {what} within {Bound}: {string.Join('\n', output)}");
        return null!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class TempDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("immutableinfra-serve-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
