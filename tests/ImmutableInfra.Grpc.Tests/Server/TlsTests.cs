using System.Security.Cryptography.X509Certificates;
using ImmutableInfra.Grpc.Tests.TestSupport;
using ImmutableInfra.Grpc.Tests.V1;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace ImmutableInfra.Grpc.Tests.Server;

public sealed class TlsTests
{
    [Fact]
    public async Task Unary_TlsWithPinnedCa_Succeeds()
    {
        using var certs = TestCertificates.Create();
        await using var server = await TestServer.StartAsync(serverCertificate: certs.Server);
        using var channel = server.CreateChannel(o => o.TrustedCaCertificates = [certs.Ca]);
        var reply = await channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = "tls" });
        Assert.Equal("tls", reply.Text);
    }

    [Fact]
    public async Task Unary_TlsWithOtherPinnedCa_ReturnsUnavailable()
    {
        using var certs = TestCertificates.Create();
        using var other = TestCertificates.Create("Some Other CA");
        await using var server = await TestServer.StartAsync(serverCertificate: certs.Server);
        using var channel = server.CreateChannel(o => o.TrustedCaCertificates = [other.Ca]);
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, new EchoRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        // The status names the real cause, not only "see inner exception".
        Assert.Contains("remote certificate", ex.Status.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unary_RequiredClientCertificatePresented_ServerSeesIt()
    {
        using var certs = TestCertificates.Create();
        await using var server = await TestServer.StartAsync(serverCertificate: certs.Server, clientCa: certs.Ca, clientCertificateMode: ClientCertificateMode.RequireCertificate);
        using var channel = server.CreateChannel(o =>
        {
            o.TrustedCaCertificates = [certs.Ca];
            o.ClientCertificate = certs.Client;
        });
        var reply = await channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = "whoami" });
        Assert.EndsWith("|CN=test-host", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unary_RequiredClientCertificateMissing_Fails()
    {
        using var certs = TestCertificates.Create();
        await using var server = await TestServer.StartAsync(serverCertificate: certs.Server, clientCa: certs.Ca, clientCertificateMode: ClientCertificateMode.RequireCertificate);
        using var channel = server.CreateChannel(o => o.TrustedCaCertificates = [certs.Ca]);
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, new EchoRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task Unary_ClientCertificateFromOtherCa_Fails()
    {
        using var certs = TestCertificates.Create();
        using var other = TestCertificates.Create("Some Other CA");
        await using var server = await TestServer.StartAsync(serverCertificate: certs.Server, clientCa: certs.Ca, clientCertificateMode: ClientCertificateMode.RequireCertificate);
        using var channel = server.CreateChannel(o =>
        {
            o.TrustedCaCertificates = [certs.Ca];
            o.ClientCertificate = other.Client;
        });
        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryCall(EchoMethods.Unary, new EchoRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
    }

    [Fact]
    public async Task Start_ServerCertificateFromPemFiles_Serves()
    {
        using var certs = TestCertificates.Create();
        var dir = Directory.CreateTempSubdirectory("grpc-tls-");
        try
        {
            var certPath = Path.Combine(dir.FullName, "tls.crt");
            var keyPath = Path.Combine(dir.FullName, "tls.key");
            await File.WriteAllTextAsync(certPath, certs.Server.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, certs.Server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            await using var server = await TestServer.StartAsync(o =>
            {
                o.Endpoints[0].AllowInsecure = false;
                o.Endpoints[0].CertificatePemPath = certPath;
                o.Endpoints[0].PrivateKeyPemPath = keyPath;
            });
            using var channel = GrpcChannel.ForAddress(new Uri($"https://127.0.0.1:{server.Port}"), new GrpcChannelOptions { TrustedCaCertificates = [certs.Ca] });
            Assert.Equal("pem", (await channel.UnaryCall(EchoMethods.Unary, new EchoRequest { Text = "pem" })).Text);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
