using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.Kubernetes.Tests.Fixtures;
using ImmutableInfra.Testing;

namespace ImmutableInfra.Kubernetes.Tests.Config;

public sealed class InClusterConfigLoaderTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("incluster-");

    public void Dispose() => _root.Delete(recursive: true);

    private string ServiceAccount(string file) => Path.Combine(_root.FullName, "var/run/secrets/kubernetes.io/serviceaccount", file);

    private void WriteServiceAccount()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ServiceAccount("token"))!);
        File.WriteAllText(ServiceAccount("token"), "token-1\n");
        File.WriteAllText(ServiceAccount("ca.crt"), "CA");
        File.WriteAllText(ServiceAccount("namespace"), "capi-system");
    }

    [Fact]
    public void Load_PodEnvironment_UsesServiceAccountFiles()
    {
        WriteServiceAccount();
        var env = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "10.96.0.1", ["KUBERNETES_SERVICE_PORT"] = "443" };
        var loader = new InClusterConfigLoader(_root.FullName, env.GetValueOrDefault);

        var settings = loader.Load();

        Assert.True(loader.IsInCluster);
        Assert.Equal(new Uri("https://10.96.0.1:443"), settings.Server);
        Assert.Equal("CA", settings.CertificateAuthorityPem);
        Assert.Equal("capi-system", settings.Namespace);
        Assert.Equal(ServiceAccount("token"), settings.TokenFile);
    }

    [Fact]
    public void Load_Ipv6Host_IsBracketed()
    {
        WriteServiceAccount();
        var env = new Dictionary<string, string> { ["KUBERNETES_SERVICE_HOST"] = "fd00::1", ["KUBERNETES_SERVICE_PORT"] = "6443" };

        var settings = new InClusterConfigLoader(_root.FullName, env.GetValueOrDefault).Load();

        Assert.Equal("https://[fd00::1]:6443/", settings.Server.ToString());
    }

    [Fact]
    public void Load_OutsideAPod_SaysWhatIsMissing()
    {
        var error = Assert.Throws<KubeConfigException>(() => new InClusterConfigLoader(_root.FullName, _ => null).Load());

        Assert.Contains("KUBERNETES_SERVICE_HOST", error.Message);
    }

    [Fact]
    public void TokenFile_RotatedToken_IsReadAgainAfterTheRefreshInterval()
    {
        WriteServiceAccount();
        var time = new FakeTimeProvider();
        var source = new BearerTokenSource(null, ServiceAccount("token"), TimeSpan.FromMinutes(1), time);

        var first = source.Current();
        File.WriteAllText(ServiceAccount("token"), "token-2");
        var cached = source.Current();
        time.Advance(TimeSpan.FromMinutes(1));
        var rotated = source.Current();

        Assert.Equal("token-1", first);
        Assert.Equal("token-1", cached);
        Assert.Equal("token-2", rotated);
    }
}
