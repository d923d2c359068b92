namespace ImmutableInfra.Enrollment.Tests;

public sealed class EnrollmentConfigValidationTests
{
    public static TheoryData<string, EnrollmentConfig, string> Invalid => new()
    {
        { "ftp coordinator", Configs.Minimal with { CoordinatorUrl = new Uri("ftp://coordinator.example.internal") }, "CoordinatorUrl must be an absolute https URL" },
        { "plaintext without the flag", Configs.Minimal with { CoordinatorUrl = new Uri("http://coordinator.example.internal:9443") }, "CoordinatorUrl is plaintext http" },
        { "flag with https", Configs.Minimal with { InsecurePlaintext = true }, "InsecurePlaintext is set but CoordinatorUrl is https" },
        { "missing token", Configs.Minimal with { PoolToken = " " }, "PoolToken is required" },
        { "token with a newline", Configs.Minimal with { PoolToken = Configs.Token + "\nx" }, "PoolToken contains control characters" },
        { "pool without namespace", Configs.Minimal with { Pool = "worker-pool" }, "Pool 'worker-pool' must be namespace/name" },
        { "CA that is not PEM", Configs.Minimal with { CaBundlePem = "not a certificate" }, "CaBundlePem holds no PEM certificate" },
        { "package that is neither", Configs.Minimal with { AgentPackage = "agent; rm -rf /" }, "is neither a URL nor a package name" },
        { "package URL not an rpm", Configs.Minimal with { AgentPackage = "https://repo.example.internal/agent.tar.gz" }, "is not an http(s) URL of an .rpm file" },
        { "address without prefix", WithNetwork(n => n with { Addresses = ["192.0.2.10"] }), "Network.Addresses entry '192.0.2.10' is not an address with prefix length" },
        { "prefix too long", WithNetwork(n => n with { Addresses = ["192.0.2.10/33"] }), "Network.Addresses entry '192.0.2.10/33'" },
        { "address not dotted", WithNetwork(n => n with { Addresses = ["10/8"] }), "Network.Addresses entry '10/8'" },
        { "prefix not a number", WithNetwork(n => n with { Addresses = ["2001:db8::1/x"] }), "Network.Addresses entry '2001:db8::1/x'" },
        { "no addresses", WithNetwork(n => n with { Addresses = [] }), "Network.Addresses needs at least one address" },
        { "gateway of another family", WithNetwork(n => n with { Gateway = "2001:db8::1" }), "Network.Gateway '2001:db8::1' has no address of its family" },
        { "bad DNS", WithNetwork(n => n with { DnsServers = ["dns.example"] }), "Network.DnsServers entry 'dns.example' is not an IP address" },
        { "bad MAC", WithNetwork(n => n with { MacAddress = "52:54:00:12:34" }), "Network.MacAddress '52:54:00:12:34' is not a MAC address" },
        { "no NIC named", WithNetwork(n => n with { MacAddress = null }), "Network needs InterfaceName or MacAddress" },
        { "interface name too long", WithNetwork(n => n with { InterfaceName = "a-very-long-interface" }), "is not a valid interface name" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidField_IsRefusedByBothRenderers_NamingTheProblemButNeverTheToken(string because, EnrollmentConfig config, string problem)
    {
        var ignition = Assert.Throws<ArgumentException>(() => IgnitionConfigRenderer.Render(config));
        var combustion = Assert.Throws<ArgumentException>(() => CombustionScriptRenderer.Render(config));

        Assert.True(ignition.Message.Contains(problem, StringComparison.Ordinal), $"{because}: {ignition.Message}");
        Assert.Equal(ignition.Message, combustion.Message);
        Assert.DoesNotContain(Configs.TokenMarker, ignition.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryProblem_IsReportedAtOnce()
    {
        var config = Configs.Minimal with { Pool = "", PoolToken = "", AgentPackage = "" };

        var error = Assert.Throws<ArgumentException>(() => IgnitionConfigRenderer.Render(config));

        Assert.Contains("Pool is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("PoolToken is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("AgentPackage is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_RedactsTheToken()
    {
        var text = (Configs.All["static-ipv4-by-mac"]).ToString();

        Assert.DoesNotContain(Configs.TokenMarker, text, StringComparison.Ordinal);
        Assert.Contains("PoolToken = (redacted)", text, StringComparison.Ordinal);
        Assert.Contains("192.0.2.10/24", text, StringComparison.Ordinal);
    }

    private static EnrollmentConfig WithNetwork(Func<StaticNetwork, StaticNetwork> change) => Configs.Minimal with
    {
        Network = change(new StaticNetwork { MacAddress = "52:54:00:12:34:56", Addresses = ["192.0.2.10/24"], Gateway = "192.0.2.1" }),
    };
}
