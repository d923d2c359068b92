using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace ImmutableInfra.Grpc.Server;

/// <summary>One listening endpoint: address, and TLS (with optional client certificates) or h2c.</summary>
public sealed class GrpcEndpointOptions
{
    /// <summary>Address and port to bind; port 0 picks a free port.</summary>
    public IPEndPoint EndPoint { get; set; } = new(IPAddress.Loopback, 0);

    /// <summary>The server certificate with its private key; set this or the PEM paths for TLS.</summary>
    public X509Certificate2? ServerCertificate { get; set; }

    /// <summary>Path of the server certificate PEM file (with <see cref="PrivateKeyPemPath"/>).</summary>
    public string? CertificatePemPath { get; set; }

    /// <summary>Path of the server private key PEM file.</summary>
    public string? PrivateKeyPemPath { get; set; }

    /// <summary>Whether clients must, may or need not present a certificate (TLS only).</summary>
    public ClientCertificateMode ClientCertificateMode { get; set; } = ClientCertificateMode.NoCertificate;

    /// <summary>The CAs a client certificate must chain to; required when client certificates are asked for.</summary>
    public X509Certificate2Collection? ClientCaCertificates { get; set; }

    /// <summary>Explicitly allow plaintext HTTP/2 (h2c) for labs and tests; otherwise an endpoint without TLS is refused.</summary>
    public bool AllowInsecure { get; set; }

    /// <summary>Extra connection middleware (for example a connection counter in tests).</summary>
    public Action<ListenOptions>? ConfigureListenOptions { get; set; }

    internal bool IsTls => ServerCertificate is not null || CertificatePemPath is not null;

    internal IEnumerable<string> Validate()
    {
        if (EndPoint is null)
        {
            yield return "An endpoint needs an EndPoint.";
            yield break;
        }

        if (!IsTls && !AllowInsecure)
        {
            yield return $"Endpoint {EndPoint} has no server certificate; set AllowInsecure for plaintext h2c.";
        }

        if (CertificatePemPath is not null && PrivateKeyPemPath is null)
        {
            yield return $"Endpoint {EndPoint}: CertificatePemPath needs PrivateKeyPemPath.";
        }

        if (CertificatePemPath is not null && !File.Exists(CertificatePemPath))
        {
            yield return $"Endpoint {EndPoint}: certificate file '{CertificatePemPath}' does not exist.";
        }

        if (ClientCertificateMode != ClientCertificateMode.NoCertificate && !IsTls)
        {
            yield return $"Endpoint {EndPoint}: client certificates need TLS.";
        }

        if (ClientCertificateMode != ClientCertificateMode.NoCertificate && (ClientCaCertificates is null || ClientCaCertificates.Count == 0))
        {
            yield return $"Endpoint {EndPoint}: client certificates need ClientCaCertificates to validate against.";
        }
    }
}
