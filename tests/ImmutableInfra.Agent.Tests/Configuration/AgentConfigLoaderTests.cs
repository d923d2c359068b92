using ImmutableInfra.Agent.Configuration;

namespace ImmutableInfra.Agent.Tests.Configuration;

public sealed class AgentConfigLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Write(string yaml)
    {
        var path = _dir.Combine("agent.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    // Each test reads the process environment under a prefix of its own, so tests running in parallel never see each other's.
    private readonly string _prefix = $"IITEST_{Guid.NewGuid():N}_";

    private AgentConfigLoader Loader(params (string Key, string Value)[] environment)
    {
        foreach (var (key, value) in environment)
        {
            Environment.SetEnvironmentVariable(_prefix + key, value);
        }

        return new AgentConfigLoader(_prefix);
    }

    [Fact]
    public void Load_CompleteFile_BindsEveryField()
    {
        var ca = _dir.Combine("ca.crt");
        File.WriteAllText(ca, "pem");
        var path = Write($"""
            coordinatorUrl: https://coordinator.example:8443
            caFile: {ca}
            pool: capi-system/prod-worker-pool
            registrationToken: s3cret
            heartbeatInterval: 15s
            reconnectBackoff:
              min: 500ms
              max: 2m
            stateDir: /var/lib/ii
            rootDir: /
            labels:
              topology.kubernetes.io/zone: rack-7
            persistentDisks: [/dev/disk/by-id/wwn-0x5000c500d0a1b2c3]
            logFormat: json
            """);

        var result = Loader().Load(path);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var options = result.Options!;
        Assert.Equal(new Uri("https://coordinator.example:8443"), options.CoordinatorUrl);
        Assert.Equal(ca, options.CaFile);
        Assert.Equal("capi-system/prod-worker-pool", options.Pool);
        Assert.Equal("s3cret", options.RegistrationToken);
        Assert.False(options.Insecure);
        Assert.Equal(TimeSpan.FromSeconds(15), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.ReconnectBackoffMin);
        Assert.Equal(TimeSpan.FromMinutes(2), options.ReconnectBackoffMax);
        Assert.Equal("/var/lib/ii", options.StateDir);
        Assert.Equal("rack-7", options.Labels["topology.kubernetes.io/zone"]);
        Assert.Equal(["/dev/disk/by-id/wwn-0x5000c500d0a1b2c3"], options.PersistentDisks);
        Assert.Equal(LogFormat.Json, options.LogFormat);
    }

    [Fact]
    public void Load_MinimalFile_UsesDefaults()
    {
        var result = Loader().Load(Write("coordinatorUrl: https://c:443\npool: ns/p\nregistrationToken: t\n"));

        Assert.True(result.IsValid);
        Assert.Equal("/var/lib/immutableinfra", result.Options!.StateDir);
        Assert.Equal("/", result.Options.RootDir);
        Assert.Equal(TimeSpan.FromSeconds(30), result.Options.HeartbeatInterval);
        Assert.Equal(LogFormat.Journald, result.Options.LogFormat);
    }

    [Fact]
    public void Load_EnvironmentOverrides_WinOverFile()
    {
        var path = Write("coordinatorUrl: https://c:443\npool: ns/p\nregistrationToken: t\nheartbeatInterval: 10s\n");

        var result = Loader(
            ("POOL", "other/pool"),
            ("HEARTBEATINTERVAL", "1m"),
            ("RECONNECTBACKOFF__MAX", "5m"),
            ("LABELS__c", "d"),
            ("PERSISTENTDISKS__0", "/dev/disk/by-id/wwn-0x1")).Load(path);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal("other/pool", result.Options!.Pool);
        Assert.Equal(TimeSpan.FromMinutes(1), result.Options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromMinutes(5), result.Options.ReconnectBackoffMax);
        Assert.Equal("d", result.Options.Labels["c"]);
        Assert.Equal(["/dev/disk/by-id/wwn-0x1"], result.Options.PersistentDisks);
    }

    [Fact]
    public void Load_BadEnvironmentValue_NamesTheField()
    {
        var result = Loader(("HEARTBEATINTERVAL", "soon")).Load(Write("coordinatorUrl: https://c:443\npool: ns/p\nregistrationToken: t\n"));

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Field == "heartbeatInterval" && e.Problem.Contains("'soon'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("coordinatorUrl: https://c:443\npool: ns/p\nregistrationToken: t\nbogusKey: 1\n", "bogusKey", "unknown key")]
    [InlineData("coordinatorUrl: https://c:443\npool: ns/p\nregistrationToken: t\nreconnectBackoff: {min: 1s, mux: 2s}\n", "reconnectBackoff.mux", "unknown key")]
    [InlineData("coordinatorUrl: http://c:80\npool: ns/p\nregistrationToken: t\n", "coordinatorUrl", "insecure")]
    [InlineData("coordinatorUrl: https://c:443\npool: justaname\nregistrationToken: t\n", "pool", "namespace/name")]
    [InlineData("coordinatorUrl: https://c:443\npool: ns/p\n", "registrationToken", "required")]
    [InlineData("coordinatorUrl: https://c:443\npool: ns/p\nregistrationToken: t\nheartbeatInterval: soon\n", "heartbeatInterval", "duration")]
    [InlineData("coordinatorUrl: https://c:443\npool: ns/p\nregistrationToken: t\nlogFormat: xml\n", "logFormat", "xml")]
    [InlineData("coordinatorUrl: https://c:443\npool: ns/p\nregistrationToken: t\ninsecure: maybe\n", "insecure", "true or false")]
    [InlineData("coordinatorUrl: https://c:443\npool: ns/p\nregistrationToken: t\nstateDir: relative/dir\n", "stateDir", "absolute")]
    [InlineData("pool: ns/p\nregistrationToken: t\n", "coordinatorUrl", "required")]
    public void Load_BadFile_NamesTheFieldAndTheProblem(string yaml, string field, string problem)
    {
        var result = Loader().Load(Write(yaml));

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Field == field && e.Problem.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MalformedYaml_IsAnErrorWithTheLine()
    {
        var result = Loader().Load(Write("coordinatorUrl: https://c:443\npool: [unclosed\n"));

        Assert.False(result.IsValid);
        Assert.Contains("line", result.Errors.Single().Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PlaintextWithInsecureFlag_IsAccepted()
    {
        var result = Loader().Load(Write("coordinatorUrl: http://127.0.0.1:8080\ninsecure: true\npool: ns/p\nregistrationToken: t\n"));

        Assert.True(result.IsValid);
        Assert.True(result.Options!.Insecure);
    }

    [Fact]
    public void Load_WorldReadableTokenFile_IsAWarning()
    {
        var token = _dir.Combine("token");
        File.WriteAllText(token, "t");
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = Loader().Load(Write($"coordinatorUrl: https://c:443\npool: ns/p\nregistrationTokenFile: {token}\n"));

        Assert.True(result.IsValid);
        Assert.Contains(result.Warnings, w => w.Field == "registrationTokenFile" && w.Problem.Contains("world-readable", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_MissingFile_IsAnError()
    {
        var result = Loader().Load(_dir.Combine("absent.yaml"));

        Assert.False(result.IsValid);
        Assert.Contains("cannot read", result.Errors[0].Problem, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var key in Environment.GetEnvironmentVariables().Keys.OfType<string>().Where(k => k.StartsWith(_prefix, StringComparison.Ordinal)))
        {
            Environment.SetEnvironmentVariable(key, null);
        }

        _dir.Dispose();
    }
}
