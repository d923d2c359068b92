using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Coordination;

namespace ImmutableInfra.Agent.Tests.Coordination;

public sealed class CoordinatorChannelFactoryTests
{
    private static AgentOptions Options(string url, bool insecure = false, string? caFile = null) =>
        new() { CoordinatorUrl = new Uri(url), Pool = "ns/p", Insecure = insecure, CaFile = caFile };

    [Fact]
    public void Create_PlaintextWithoutInsecure_IsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CoordinatorChannelFactory.Create(Options("http://127.0.0.1:1"), new CoordinationOptions()));
        Assert.Contains("insecure", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CaFileWithoutCertificates_FailsNamingTheFile()
    {
        using var dir = new TempDirectory();
        var caFile = dir.Combine("ca.pem");
        File.WriteAllText(caFile, "not a certificate\n");

        var error = Assert.Throws<InvalidOperationException>(() => CoordinatorChannelFactory.Create(Options("https://127.0.0.1:1", caFile: caFile), new CoordinationOptions()));

        Assert.Contains(caFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_TlsWithPinnedCaOrExplicitPlaintext_BuildsAChannel()
    {
        using var dir = new TempDirectory();
        using var ca = TestCertificates.CreateCa("pinned");
        var caFile = TestCertificates.WritePem(ca, dir.Combine("ca.pem"));

        using var tls = CoordinatorChannelFactory.Create(Options("https://127.0.0.1:1", caFile: caFile), new CoordinationOptions());
        using var plaintext = CoordinatorChannelFactory.Create(Options("http://127.0.0.1:1", insecure: true), new CoordinationOptions());

        Assert.Equal("127.0.0.1:1", tls.Target);
        Assert.Equal("127.0.0.1:1", plaintext.Target);
    }

    [Fact]
    public void Options_Validate_ListsEveryProblem()
    {
        var options = new CoordinationOptions { HeartbeatInterval = TimeSpan.Zero, ReconnectBackoffMin = TimeSpan.FromSeconds(10), ReconnectBackoffMax = TimeSpan.FromSeconds(1) };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("HeartbeatInterval must be positive", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReconnectBackoffMax must not be smaller than ReconnectBackoffMin", error.Message, StringComparison.Ordinal);
    }
}
