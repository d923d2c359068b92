using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ImmutableInfra.AgentApi.Tests.TestSupport;

/// <summary>An in-process CA with a server certificate for 127.0.0.1/localhost and a client certificate.</summary>
internal sealed class TestCertificates : IDisposable
{
    private TestCertificates(X509Certificate2 ca, X509Certificate2 server, X509Certificate2 client)
    {
        Ca = ca;
        Server = server;
        Client = client;
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    public static TestCertificates Create(string caName = "ImmutableInfra Test CA")
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={caName}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var caWithKey = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        var server = Issue(caWithKey, "CN=127.0.0.1", serverAuth: true);
        var client = Issue(caWithKey, "CN=test-host", serverAuth: false);
        var caPublic = X509CertificateLoader.LoadCertificate(caWithKey.Export(X509ContentType.Cert));
        return new TestCertificates(caPublic, server, client);
    }

    /// <summary>Writes ca.pem, server.pem/server.key and client.pem/client.key (PEM) into <paramref name="directory"/>.</summary>
    public CertificateFiles WriteTo(string directory)
    {
        static string Write(string path, string pem)
        {
            File.WriteAllText(path, pem);
            return path;
        }

        static string Key(X509Certificate2 certificate) => certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();

        return new CertificateFiles(
            Write(Path.Combine(directory, "ca.pem"), Ca.ExportCertificatePem()),
            Write(Path.Combine(directory, "server.pem"), Server.ExportCertificatePem()),
            Write(Path.Combine(directory, "server.key"), Key(Server)),
            Write(Path.Combine(directory, "client.pem"), Client.ExportCertificatePem()),
            Write(Path.Combine(directory, "client.key"), Key(Client)));
    }

    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        Client.Dispose();
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, bool serverAuth)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            san.AddDnsName("localhost");
            request.CertificateExtensions.Add(san.Build());
        }

        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        var now = DateTimeOffset.UtcNow;
        using var issued = request.Create(ca, now.AddMinutes(-1), now.AddHours(12), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Re-import through PKCS#12 so SslStream on Linux can use the private key.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}

/// <summary>The PEM files <see cref="TestCertificates.WriteTo"/> wrote.</summary>
internal sealed record CertificateFiles(string Ca, string ServerCertificate, string ServerKey, string ClientCertificate, string ClientKey);
