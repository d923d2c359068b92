using System.Security.Cryptography;
using ImmutableInfra.Agent.Bootstrap;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace ImmutableInfra.Agent.Tests.Bootstrap;

/// <summary>A fake root, a state dir and the executor's collaborators for one bootstrap test.</summary>
internal sealed class BootstrapHarness : IDisposable
{
    private readonly TempDirectory _dir = new();

    public BootstrapHarness()
    {
        Directory.CreateDirectory(RootPath);
        Runner = new FakeCommandRunner(RootPath);
    }

    public string RootPath => _dir.Combine("root");

    public string StateDir => _dir.Combine("state");

    public FakeCommandRunner Runner { get; set; }

    public ISystemd Systemd { get; } = Substitute.For<ISystemd>();

    public List<BootstrapProgress> Progress { get; } = [];

    public static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Bootstrap", "Fixtures", name));

    public static Provision ProvisionFor(byte[] data, BootstrapFormat format = BootstrapFormat.CloudConfig) => new()
    {
        MachineUid = "6f1c2b9e-3d4a-4c1e-9b7a-2f0e5d8c1a11",
        Machine = "default/prod-control-plane-x7k2p",
        Cluster = "default/prod",
        Format = format,
        BootstrapDataSha256 = Convert.ToHexStringLower(SHA256.HashData(data)),
        Metadata = new MachineMetadata
        {
            InstanceId = "6f1c2b9e-3d4a-4c1e-9b7a-2f0e5d8c1a11",
            LocalHostname = "prod-control-plane-x7k2p",
            ProviderId = "baremetal://default/host-r650-07",
        },
    };

    public string Read(string hostPath) => File.ReadAllText(HostFile(hostPath));

    public string HostFile(string hostPath) => Path.Combine(RootPath, hostPath.TrimStart('/'));

    public UnixFileMode ModeOf(string hostPath) => File.GetUnixFileMode(HostFile(hostPath));

    public IReadOnlyList<string> FilesUnderRoot() =>
        Directory.EnumerateFileSystemEntries(RootPath, "*", SearchOption.AllDirectories).ToList();

    public BootstrapExecutor Executor() => new(
        new HostRoot(RootPath), new BootstrapJournal(StateDir), Runner, Systemd, new BootstrapOptions(), NullLogger<BootstrapExecutor>.Instance);

    public Task<BootstrapOutcome> RunAsync(byte[] data, BootstrapFormat format = BootstrapFormat.CloudConfig) =>
        RunAsync(ProvisionFor(data, format), data);

    public Task<BootstrapOutcome> RunAsync(Provision provision, byte[] data) =>
        Executor().ExecuteAsync(provision, data, new SynchronousProgress<BootstrapProgress>(Progress.Add), CancellationToken.None);

    public void Dispose() => _dir.Dispose();
}

/// <summary>IProgress that reports inline (Progress&lt;T&gt; posts to the thread pool, which would race assertions).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
