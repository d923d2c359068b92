namespace ImmutableInfra.Packaging.Tests;

/// <summary>
/// One NativeAOT publish of the agent (or the one AGENT_BINARY names) and one RPM built from it, shared by every
/// test that needs them: the publish takes minutes, the RPM build seconds. Each is built on first use, so a filtered run that
/// needs neither pays for neither.
/// </summary>
public sealed class AgentBuildFixture : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("immutableinfra-packaging-").FullName;
    private readonly Lazy<string> _binary;
    private readonly Lazy<string> _rpm;

    public AgentBuildFixture()
    {
        _binary = new Lazy<string>(Publish);
        _rpm = new Lazy<string>(BuildRpm);
    }

    /// <summary>The published NativeAOT agent binary.</summary>
    public string Binary => _binary.Value;

    /// <summary>The built immutableinfra-agent RPM.</summary>
    public string Rpm => _rpm.Value;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Publish()
    {
        // As scripts/build-rpm.sh: AGENT_BINARY names an existing publish to reuse.
        if (Environment.GetEnvironmentVariable("AGENT_BINARY") is { Length: > 0 } published)
        {
            Assert.True(File.Exists(published), $"AGENT_BINARY={published} does not exist");
            return published;
        }

        var output = Path.Combine(_directory, "aot");
        Command.Check(
            "dotnet",
            ["publish", Repository.Path("agent/ImmutableInfra.Agent/ImmutableInfra.Agent.csproj"), "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo", "-v:quiet"],
            TimeSpan.FromMinutes(30));
        var binary = Path.Combine(output, "immutableinfra-agent");
        Assert.True(File.Exists(binary), $"the publish left no {binary}");
        return binary;
    }

    private string BuildRpm()
    {
        var binary = Binary;
        var output = Command.Check(
            Repository.Path("scripts/build-rpm.sh"),
            [Path.Combine(_directory, "rpm")],
            TimeSpan.FromMinutes(5),
            new Dictionary<string, string> { ["AGENT_BINARY"] = binary });
        var rpm = output.Trim().Split('\n')[^1];
        Assert.True(File.Exists(rpm), $"build-rpm.sh printed {rpm}, which does not exist");
        return rpm;
    }
}

/// <summary>Tests that share the agent build (and run one after another: the build is CPU-bound).</summary>
[CollectionDefinition(Name)]
public sealed class AgentBuildGroup : ICollectionFixture<AgentBuildFixture>
{
    public const string Name = "agent build";
}
