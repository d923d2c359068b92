using System.Diagnostics;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace ImmutableInfra.Packaging.Tests.Release;

/// <summary>
/// One run of scripts/release.sh on a clean clone of the repository's HEAD (what CI builds: committed files
/// only), shared by every test that checks a release artifact: the run publishes the agent (NativeAOT) and
/// the coordinator for two architectures, which takes minutes. Built on first use; its publishes and Debian
/// packages are kept (RELEASE_WORK) so tests can rebuild the image from the same inputs.
/// IMMUTABLEINFRA_RELEASE_FIXTURE names a directory to keep the run in instead, reused when it holds a finished one
/// (for iterating on these tests; CI leaves it unset).
/// </summary>
public sealed class ReleaseFixture : IDisposable
{
    // Debian packages of the image, kept between runs like the systemd tests' Debian tree.
    private const string DebCache = "/var/cache/immutableinfra-test/image-debs";

    private static readonly string? Kept = System.Environment.GetEnvironmentVariable("IMMUTABLEINFRA_RELEASE_FIXTURE");

    private readonly string _directory = Kept ?? Directory.CreateTempSubdirectory("immutableinfra-release-").FullName;
    private readonly Lazy<string> _digest;
    private readonly IMessageSink _diagnostics;

    public ReleaseFixture(IMessageSink diagnostics)
    {
        _diagnostics = diagnostics;
        _digest = new Lazy<string>(Build);
    }

    /// <summary>The clean clone release.sh ran in.</summary>
    public string Clone => Path.Combine(_directory, "clone");

    /// <summary>release.sh's OUTDIR.</summary>
    public string Output => Built(Path.Combine(_directory, "out"));

    /// <summary>release.sh's kept publishes (agent-ARCH/, coordinator-ARCH/).</summary>
    public string Work => Path.Combine(_directory, "work");

    /// <summary>The image index's digest release.sh printed.</summary>
    public string Digest => _digest.Value;

    public string Version => File.ReadAllText(Built(Path.Combine(Clone, "VERSION"))).Trim();

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["RELEASE_WORK"] = Work,
        ["DEBS_DIR"] = DebCache,
    };

    public string ImageArchive => Path.Combine(Output, $"immutableinfra-coordinator-{Version}.oci.tar");

    public string Rpm(string arch) => Path.Combine(Output, $"immutableinfra-agent-{Version}-1.{arch}.rpm");

    /// <summary>The published agent binary of an architecture (amd64, arm64), the one its RPM holds.</summary>
    public string AgentBinary(string arch) => Built(Path.Combine(Work, $"agent-{arch}", "immutableinfra-agent"));

    public void Dispose()
    {
        if (Kept is null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private string Built(string path)
    {
        _ = _digest.Value;
        return path;
    }

    private string Build()
    {
        var digestFile = Path.Combine(_directory, "digest");
        if (Kept is not null && File.Exists(digestFile))
        {
            return File.ReadAllText(digestFile);
        }

        Command.Check("git", ["clone", "--quiet", "--no-hardlinks", Repository.Root, Clone], TimeSpan.FromMinutes(2));
        var clock = Stopwatch.StartNew();
        var stdout = Command.Check(Path.Combine(Clone, "scripts/release.sh"), [Path.Combine(_directory, "out")], TimeSpan.FromMinutes(40), Environment);
        _diagnostics.OnMessage(new DiagnosticMessage($"scripts/release.sh on a clean clone: {clock.Elapsed.TotalSeconds:F0} s"));
        var digest = stdout.Trim().Split('\n')[^1];
        File.WriteAllText(digestFile, digest);
        return digest;
    }
}

/// <summary>Tests that share the release build (and run one after another: the build is CPU-bound).</summary>
[CollectionDefinition(Name)]
public sealed class ReleaseGroup : ICollectionFixture<ReleaseFixture>
{
    public const string Name = "release build";
}
