using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ImmutableInfra.Agent.Simulation;
using ImmutableInfra.Lab;
using ImmutableInfra.Packaging.Tests.Manifests;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace ImmutableInfra.Packaging.Tests.Release;

/// <summary>
/// The coordinator image of the release, checked with skopeo and umoci and run: its root filesystem booted
/// with systemd-nspawn (<c>podman run</c> is refused in this sandbox) as the image's user, with its entrypoint
/// and environment, the shipped Deployment's arguments, a read-only root and the host's loopback, against the
/// in-memory API server.
/// </summary>
[Collection(ReleaseGroup.Name)]
public sealed class ImageTests(ReleaseFixture release, ITestOutputHelper output) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("immutableinfra-image-").FullName;

    [Fact]
    public void Index_ListsLinuxAmd64AndLinuxArm64()
    {
        var index = OciImage.Index(release.ImageArchive, release.Version);

        Assert.Equal("application/vnd.oci.image.index.v1+json", (string?)index["mediaType"]);
        Assert.Equal(
            [("linux", "amd64"), ("linux", "arm64")],
            index["manifests"]!.AsArray().Select(m => ((string)m!["platform"]!["os"]!, (string)m["platform"]!["architecture"]!)));
        // The index skopeo reads is the one release.sh pinned the components to.
        Assert.Equal(release.Digest, "sha256:" + Sha256Hex(Command.Check("skopeo", ["inspect", "--raw", OciImage.Reference(release.ImageArchive, release.Version)], TimeSpan.FromMinutes(2), null).TrimEnd('\n')));
    }

    [Theory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    public void EachArchitecture_RunsTheCoordinatorAsUser65532_WithTheReleaseLabels(string arch)
    {
        var config = OciImage.Config(release.ImageArchive, release.Version, arch);
        var labels = config["config"]!["Labels"]!;

        Assert.Equal((arch, "linux"), ((string?)config["architecture"], (string?)config["os"]));
        Assert.Equal("65532:65532", (string?)config["config"]!["User"]);
        Assert.Equal(["/usr/bin/immutableinfra-coordinator"], config["config"]!["Entrypoint"]!.AsArray().Select(e => (string)e!));
        Assert.Equal(release.Version, (string?)labels["org.opencontainers.image.version"]);
        Assert.Equal(Command.Check("git", "-C", release.Clone, "rev-parse", "HEAD").Trim(), (string?)labels["org.opencontainers.image.revision"]);
        Assert.Equal("Apache-2.0", (string?)labels["org.opencontainers.image.licenses"]);
        Assert.False(string.IsNullOrEmpty((string?)labels["org.opencontainers.image.source"]));
        // One layer, and no history date but the commit's: nothing in the image says when it was built.
        var commitTime = DateTimeOffset.FromUnixTimeSeconds(long.Parse(Command.Check("git", "-C", release.Clone, "log", "-1", "--format=%ct").Trim(), CultureInfo.InvariantCulture));
        Assert.Single(config["rootfs"]!["diff_ids"]!.AsArray());
        Assert.All(config["history"]!.AsArray(), h => Assert.Equal(commitTime, DateTimeOffset.Parse((string)h!["created"]!, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void BuiltAgainFromTheSameInputs_HasTheSameDigest_AndTheSameArchiveBytes()
    {
        var again = Path.Combine(_work, "again");
        var environment = new Dictionary<string, string>(release.Environment)
        {
            ["COORDINATOR_BINARY_amd64"] = Path.Combine(release.Work, "coordinator-amd64", "immutableinfra-coordinator"),
            ["COORDINATOR_BINARY_arm64"] = Path.Combine(release.Work, "coordinator-arm64", "immutableinfra-coordinator"),
        };

        var digest = Command.Check(Path.Combine(release.Clone, "scripts/build-image.sh"), [again], TimeSpan.FromMinutes(10), environment).Trim().Split('\n')[^1];

        Assert.Equal(release.Digest, digest);
        Assert.Equal(Sha256File(release.ImageArchive), Sha256File(Path.Combine(again, Path.GetFileName(release.ImageArchive))));
    }

    [Fact]
    public async Task Image_RunAsItsUserWithItsEntrypoint_IsHealthyReadyServesMetricsAndRegistersAnAgent()
    {
        var bundle = OciImage.Unpack(release.ImageArchive, release.Version, "amd64", _work);
        var process = JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "config.json")))!["process"]!;
        var container = DeploymentContainer();
        await using var lab = await LabEnvironment.StartAsync(new LabOptions { Coordinators = 0 }, NullLoggerFactory.Instance, CancellationToken.None);
        var kubeconfig = Path.Combine(_work, "kubeconfig");
        lab.Server.WriteKubeConfig(kubeconfig, LabEnvironment.CoordinatorToken);
        File.SetUnixFileMode(kubeconfig, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var (agentPort, httpPort) = (FreePort(), FreePort());

        // The image's entrypoint with the Deployment's args (they replace the image's command), plus a kubeconfig
        // for the in-memory API server (in /tmp, the Deployment's emptyDir: the root is read-only) and loopback listeners.
        List<string> CommandLine(string entrypoint, string kubeconfigPath, int agentApi, int http) =>
        [
            entrypoint, .. container["args"]!.AsArray().Select(a => (string)a!), "--kubeconfig", kubeconfigPath, "--insecure",
            "--agent-api-address", $"127.0.0.1:{agentApi}", "--http-address", $"127.0.0.1:{http}",
        ];
        var entrypoint = (string)process["args"]![0]!;
        var environment = process["env"]!.AsArray().Select(e => (string)e!)
            .Concat(container["env"]!.AsArray().Select(e => $"{e!["name"]}={(string?)e["value"] ?? FieldRef((string)e["valueFrom"]!["fieldRef"]!["fieldPath"]!)}"));

        // Baseline for docs/benchmarks.md, not asserted: the same binary started on the host, against a lab of its own.
        var direct = await DirectStartToReadyAsync(
            (path, port) => CommandLine(Path.Combine(bundle, "rootfs", entrypoint.TrimStart('/')), path, FreePort(), port), environment);

        var clock = Stopwatch.StartNew();
        using var coordinator = ImageContainer.Start(Path.Combine(bundle, "rootfs"), (long)process["user"]!["uid"]!, (string)process["cwd"]!, environment,
            new Dictionary<string, string> { [kubeconfig] = "/tmp/kubeconfig" }, CommandLine(entrypoint, "/tmp/kubeconfig", agentPort, httpPort), _work);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(5) };
        await Until(async () => await Status(http, "/readyz") == HttpStatusCode.OK, TimeSpan.FromSeconds(90), "/readyz answers 200", coordinator);
        output.WriteLine($"start to ready: image under systemd-nspawn {clock.Elapsed.TotalSeconds:F2} s, the same binary on the host {direct.TotalSeconds:F2} s");

        Assert.Equal(HttpStatusCode.OK, await Status(http, "/healthz"));
        var metrics = await http.GetStringAsync("/metrics");
        var revision = Command.Check("git", "-C", release.Clone, "rev-parse", "HEAD").Trim();
        var buildInfo = metrics.Split('\n').Single(l => l.StartsWith("immutableinfra_build_info{", StringComparison.Ordinal));
        Assert.Contains($"version=\"{release.Version}\"", buildInfo, StringComparison.Ordinal);
        Assert.Contains($"revision=\"{revision}\"", buildInfo, StringComparison.Ordinal);
        Assert.EndsWith("} 1", buildInfo, StringComparison.Ordinal);
        var server = Assert.Single(coordinator.Processes, p => p.Name.StartsWith("immutableinfra", StringComparison.Ordinal));
        Assert.Equal(65532, server.Uid);

        // The containerized leader creates the pool's token; a real agent (the simulated host) registers with it.
        await lab.CreatePoolAsync(CancellationToken.None);
        await using var host = await SimulatedHost.StartAsync(0,
            new SimulatedHostOptions(new Uri($"http://127.0.0.1:{agentPort}"), $"{LabEnvironment.Namespace}/{LabEnvironment.PoolName}", lab.PoolToken!),
            Path.Combine(_work, "host"), NullLoggerFactory.Instance);
        await Until(async () => (await lab.HostsAsync(CancellationToken.None)).Any(h => !string.IsNullOrEmpty(h.Status?.ConnectedTo)),
            TimeSpan.FromSeconds(60), "the host registered and holds a Sync stream", coordinator);
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    // Start to ready of the same binary run directly on the host; command gives its command line for a kubeconfig and an HTTP port.
    private async Task<TimeSpan> DirectStartToReadyAsync(Func<string, int, List<string>> command, IEnumerable<string> environment)
    {
        await using var lab = await LabEnvironment.StartAsync(new LabOptions { Coordinators = 0 }, NullLoggerFactory.Instance, CancellationToken.None);
        var kubeconfig = Path.Combine(_work, "direct.kubeconfig");
        lab.Server.WriteKubeConfig(kubeconfig, LabEnvironment.CoordinatorToken);
        var httpPort = FreePort();
        var arguments = command(kubeconfig, httpPort);
        var start = new ProcessStartInfo(arguments[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.Skip(1).ToList().ForEach(start.ArgumentList.Add);
        foreach (var variable in environment.Select(e => e.Split('=', 2)))
        {
            start.Environment[variable[0]] = variable[1];
        }

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (await Status(http, "/readyz") != HttpStatusCode.OK)
            {
                Assert.False(process.HasExited, "the coordinator on the host exited before it was ready");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), "the coordinator on the host was not ready within 90 s");
                await Task.Delay(100);
            }

            return clock.Elapsed;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private JsonObject DeploymentContainer()
    {
        var components = File.ReadAllText(Path.Combine(release.Output, $"clusterctl/infrastructure-immutableinfra/v{release.Version}/infrastructure-components.yaml"));
        var deployment = YamlDocuments.Load(components).Single(d => (string?)d["kind"] == "Deployment");
        return deployment["spec"]!["template"]!["spec"]!["containers"]![0]!.AsObject();
    }

    private static string FieldRef(string path) => path switch
    {
        "metadata.namespace" => "immutableinfra-system",
        "metadata.name" => "immutableinfra-coordinator-image-test",
        _ => throw new InvalidOperationException($"the Deployment reads {path}, which this test does not provide"),
    };

    private static async Task<HttpStatusCode?> Status(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(path);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    private static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string what, ImageContainer container)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.False(container.HasExited, $"the container exited before {what}:\n{container.Log}");
            Assert.True(clock.Elapsed < timeout, $"not within {timeout}: {what}\n{container.Log}");
            await Task.Delay(100);
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    private static string Sha256File(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }
}
