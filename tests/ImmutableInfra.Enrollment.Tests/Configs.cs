using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImmutableInfra.Enrollment;

namespace ImmutableInfra.Enrollment.Tests;

/// <summary>Enrollment configs covering every shape the renderers take.</summary>
internal static class Configs
{
    // Characters a shell, YAML or a data: URL would mangle if the renderers did not quote them.
    public const string Token = "tok-$HOME'\"`;#:%20&<>-" + TokenMarker;

    /// <summary>The part of <see cref="Token"/> no quoting changes: what "the token appears here" searches for.</summary>
    public const string TokenMarker = "9f8e7d6c5b4a";

    public static readonly string CaPem = CreateCaPem();

    public static EnrollmentConfig Minimal => new()
    {
        CoordinatorUrl = new Uri("https://coordinator.example.internal:9443"),
        Pool = "default/cluster1-worker-pool",
        PoolToken = Token,
        AgentPackage = "immutableinfra-agent",
    };

    public static TheoryData<string> Names => new(All.Keys);

    public static readonly IReadOnlyDictionary<string, EnrollmentConfig> All = new Dictionary<string, EnrollmentConfig>
    {
        ["minimal"] = Minimal,
        ["ca-and-rpm-url"] = Minimal with
        {
            CaBundlePem = CaPem,
            AgentPackage = "https://repo.example.internal/agent%20builds/immutableinfra-agent-0.1.0-1.x86_64.rpm",
        },
        ["static-ipv4-by-mac"] = Minimal with
        {
            CaBundlePem = CaPem,
            Network = new StaticNetwork
            {
                MacAddress = "52:54:00:12:34:56",
                Addresses = ["192.0.2.10/24"],
                Gateway = "192.0.2.1",
                DnsServers = ["192.0.2.53", "192.0.2.54"],
            },
        },
        ["static-dual-stack-by-name"] = Minimal with
        {
            Network = new StaticNetwork
            {
                InterfaceName = "eno1",
                Addresses = ["198.51.100.7/26", "2001:db8::7/64"],
                Gateway = "2001:db8::1",
                DnsServers = ["2001:db8::53"],
            },
        },
        ["lab-plaintext"] = Minimal with
        {
            CoordinatorUrl = new Uri("http://10.0.0.5:9443"),
            InsecurePlaintext = true,
        },
    };

    private static string CreateCaPem()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=immutableinfra-test-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        return certificate.ExportCertificatePem();
    }
}
