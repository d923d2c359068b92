using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.KubeApiServer;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Tests.Client;

public sealed class KubeHttpHandlerFactoryTests
{
    [Fact]
    public void Create_ClientCertificatePem_IsPresentedWithItsKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=system:node:host-1, O=system:nodes", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
        var settings = new KubeConnectionSettings
        {
            Server = new Uri("https://127.0.0.1:6443"),
            ClientCertificatePem = certificate.ExportCertificatePem(),
            ClientKeyPem = key.ExportPkcs8PrivateKeyPem(),
        };

        using var handler = KubeHttpHandlerFactory.Create(settings, new KubeClientOptions());

        var presented = Assert.IsType<X509Certificate2>(Assert.Single(handler.SslOptions.ClientCertificates!));
        Assert.True(presented.HasPrivateKey);
        Assert.Equal(certificate.Thumbprint, presented.Thumbprint);
    }

    [Fact]
    public async Task InsecureSkipTlsVerify_ConnectsWithoutTheCa()
    {
        await using var server = await InMemoryKubeApiServer.StartAsync(new InMemoryKubeApiServerOptions { Https = true });
        using var client = new KubeClient(new KubeConnectionSettings { Server = server.Url, InsecureSkipTlsVerify = true });

        var ns = await client.Resource(KubeResources.Namespaces).GetAsync(null, "default");

        Assert.Equal("default", ns.Metadata.Name);
    }
}
