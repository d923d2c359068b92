using System.Text;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.KubeApiServer;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Tests.Config;

public sealed class KubeConfigLoaderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("kubeconfig-tests-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir.FullName, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Config(string current, string clusters, string users, string contexts) => $"""
        apiVersion: v1
        kind: Config
        current-context: {current}
        clusters:
        {clusters}
        users:
        {users}
        contexts:
        {contexts}
        """;

    [Fact]
    public void Load_CurrentContext_ResolvesClusterUserAndNamespace()
    {
        var path = Write("config", Config(
            "prod",
            $"- name: prod\n  cluster:\n    server: https://198.18.0.1:6443\n    certificate-authority-data: {B64("CA PEM")}",
            $"- name: admin\n  user:\n    client-certificate-data: {B64("CERT")}\n    client-key-data: {B64("KEY")}",
            "- name: prod\n  context:\n    cluster: prod\n    user: admin\n    namespace: ops"));

        var settings = new KubeConfigLoader(_ => null).Load(explicitPath: path);

        Assert.Equal(new Uri("https://198.18.0.1:6443"), settings.Server);
        Assert.Equal("CA PEM", settings.CertificateAuthorityPem);
        Assert.Equal("CERT", settings.ClientCertificatePem);
        Assert.Equal("KEY", settings.ClientKeyPem);
        Assert.Equal("ops", settings.Namespace);
    }

    [Fact]
    public void Load_ExplicitContext_OverridesCurrentContext()
    {
        var path = Write("config", Config(
            "a",
            "- name: a\n  cluster:\n    server: https://198.18.0.1\n- name: b\n  cluster:\n    server: https://198.18.0.2\n    insecure-skip-tls-verify: true",
            "- name: u\n  user:\n    token: t0k3n",
            "- name: a\n  context:\n    cluster: a\n    user: u\n- name: b\n  context:\n    cluster: b\n    user: u"));

        var settings = new KubeConfigLoader(_ => null).Load(context: "b", explicitPath: path);

        Assert.Equal("198.18.0.2", settings.Server.Host);
        Assert.True(settings.InsecureSkipTlsVerify);
        Assert.Equal("t0k3n", settings.Token);
    }

    [Fact]
    public void Load_KubeconfigVariableWithSeveralFiles_FirstToSetAKeyWins()
    {
        var first = Write("one/config", Config(
            "ctx",
            "- name: shared\n  cluster:\n    server: https://198.18.0.1",
            "- name: u\n  user:\n    token: first",
            "- name: ctx\n  context:\n    cluster: shared\n    user: u"));
        var second = Write("two/config", Config(
            "other",
            "- name: shared\n  cluster:\n    server: https://198.18.0.99\n- name: only-here\n  cluster:\n    server: https://198.18.0.3",
            "- name: u\n  user:\n    token: second",
            "- name: other\n  context:\n    cluster: only-here\n    user: u"));
        var env = new Dictionary<string, string> { ["KUBECONFIG"] = $"{first}:{Path.Combine(_dir.FullName, "missing")}:{second}" };
        var loader = new KubeConfigLoader(env.GetValueOrDefault);

        var current = loader.Load();
        var other = loader.Load(context: "other");

        Assert.Equal("198.18.0.1", current.Server.Host);
        Assert.Equal("first", current.Token);
        Assert.Equal("198.18.0.3", other.Server.Host);
    }

    [Fact]
    public void Load_RelativeFilePaths_ResolveAgainstTheKubeconfigDirectory()
    {
        Write("nested/certs/ca.pem", "CA FROM FILE");
        Write("nested/certs/client.pem", "CERT FROM FILE");
        Write("nested/certs/client.key", "KEY FROM FILE");
        Write("nested/token", "file-token");
        var path = Write("nested/config", Config(
            "c",
            "- name: c\n  cluster:\n    server: https://198.18.0.1\n    certificate-authority: certs/ca.pem",
            "- name: u\n  user:\n    client-certificate: certs/client.pem\n    client-key: certs/client.key\n    tokenFile: token",
            "- name: c\n  context:\n    cluster: c\n    user: u"));

        var settings = new KubeConfigLoader(_ => null).Load(explicitPath: path);

        Assert.Equal("CA FROM FILE", settings.CertificateAuthorityPem);
        Assert.Equal("CERT FROM FILE", settings.ClientCertificatePem);
        Assert.Equal("KEY FROM FILE", settings.ClientKeyPem);
        Assert.Equal(Path.Combine(_dir.FullName, "nested", "token"), settings.TokenFile);
    }

    [Fact]
    public void Load_DefaultPath_IsHomeDotKubeConfig()
    {
        Write(".kube/config", Config("c", "- name: c\n  cluster:\n    server: http://127.0.0.1:1", "- name: u\n  user: {}", "- name: c\n  context:\n    cluster: c\n    user: u"));

        var settings = new KubeConfigLoader(name => name == "HOME" ? _dir.FullName : null).Load();

        Assert.Equal(1, settings.Server.Port);
    }

    [Theory]
    [InlineData("users", "- name: u\n  user:\n    client-certificate-data: '%%%notbase64'\n    client-key-data: S0VZ", "users[0].user.client-certificate-data: not valid base64")]
    [InlineData("users", "- name: u\n  user:\n    client-certificate-data: Q0VSVA==", "users[0].user.client-key-data: required with the client certificate")]
    [InlineData("clusters", "- name: c\n  cluster:\n    server: not a url", "clusters[0].cluster.server: not an http(s) URL")]
    [InlineData("clusters", "- name: c\n  cluster:\n    insecure-skip-tls-verify: maybe\n    server: https://198.18.0.1", "clusters[0].cluster.insecure-skip-tls-verify: not a boolean")]
    [InlineData("clusters", "- name: c\n  cluster:\n    certificate-authority: missing.pem\n    server: https://198.18.0.1", "clusters[0].cluster.certificate-authority: cannot read")]
    [InlineData("users", "- name: u\n  user:\n    exec:\n      command: aws", "users[0].user.exec: not supported")]
    public void Load_MalformedField_NamesTheBrokenField(string section, string entry, string expected)
    {
        var clusters = section == "clusters" ? entry : "- name: c\n  cluster:\n    server: https://198.18.0.1";
        var users = section == "users" ? entry : "- name: u\n  user: {}";
        var path = Write("config", Config("x", clusters, users, "- name: x\n  context:\n    cluster: c\n    user: u"));

        var error = Assert.Throws<KubeConfigException>(() => new KubeConfigLoader(_ => null).Load(explicitPath: path));

        Assert.Contains(expected, error.Message);
        Assert.StartsWith(path, error.Message);
    }

    [Fact]
    public void Load_UnknownContext_SaysWhichContext()
    {
        var path = Write("config", Config("c", "- name: c\n  cluster:\n    server: https://198.18.0.1", "- name: u\n  user: {}", "- name: c\n  context:\n    cluster: c\n    user: u"));

        var error = Assert.Throws<KubeConfigException>(() => new KubeConfigLoader(_ => null).Load(context: "nope", explicitPath: path));

        Assert.Equal("contexts: no context named \"nope\"", error.Message);
    }

    [Theory]
    [InlineData("apiVersion: v1\nclusters: [unclosed\n", "line 3, column 1: ")]
    [InlineData("apiVersion: v1\nusers: []\nusers: []\n", "line 3, column 1: Duplicate key users")]
    [InlineData("clusters: &c [*c]\n", "line 1, column 15: the alias *c is inside the node it refers to")]
    [InlineData("? [a]\n: b\n", "line 1, column 3: a collection cannot be a mapping key")]
    public void Load_InvalidYaml_NamesLineAndColumn(string text, string expected)
    {
        var path = Write("config", text);

        var error = Assert.Throws<KubeConfigException>(() => new KubeConfigLoader(_ => null).Load(explicitPath: path));

        Assert.StartsWith($"{path}: not valid YAML at {expected}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NestingPastTheBound_IsRefusedInsteadOfOverflowingTheStack()
    {
        var path = Write("config", "clusters: " + new string('[', 100_000));

        var error = Assert.Throws<KubeConfigException>(() => new KubeConfigLoader(_ => null).Load(explicitPath: path));

        Assert.EndsWith($"collections are nested deeper than {ImmutableInfra.UntrustedYaml.UntrustedYamlReader.MaxDepth} levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrittenKubeconfig_OverHttpsWithCaData_Connects()
    {
        await using var server = await InMemoryKubeApiServer.StartAsync(new InMemoryKubeApiServerOptions { Https = true });
        var path = Path.Combine(_dir.FullName, "inmemory");
        server.WriteKubeConfig(path, token: "abc");

        using var client = new KubeClient(new KubeConfigLoader(_ => null).Load(explicitPath: path));
        var ns = await client.Resource(KubeResources.Namespaces).GetAsync(null, "kube-system");

        Assert.Equal("https", server.Url.Scheme);
        Assert.Equal("Active", ns.Status!.Phase);
    }

    [Fact]
    public async Task Https_WithoutTheServersCa_IsRejected()
    {
        await using var server = await InMemoryKubeApiServer.StartAsync(new InMemoryKubeApiServerOptions { Https = true });
        await using var other = await InMemoryKubeApiServer.StartAsync(new InMemoryKubeApiServerOptions { Https = true });
        var otherCa = other.CertificateAuthorityPem;
        var options = new KubeClientOptions { MaxAttempts = 1 };

        using var client = new KubeClient(new KubeConnectionSettings { Server = server.Url, CertificateAuthorityPem = otherCa }, options);

        await Assert.ThrowsAsync<KubeConnectionException>(() => client.Resource(KubeResources.Namespaces).GetAsync(null, "default"));
    }
}
