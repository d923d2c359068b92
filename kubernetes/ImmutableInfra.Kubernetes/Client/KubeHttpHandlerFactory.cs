using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using ImmutableInfra.Kubernetes.Config;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>Builds a client's own handler: TLS trust from the configured CA, optional client certificate.</summary>
internal static class KubeHttpHandlerFactory
{
    public static SocketsHttpHandler Create(KubeConnectionSettings settings, KubeClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.RequestTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseProxy = false,
        };

        if (settings.ClientCertificatePem is not null && settings.ClientKeyPem is not null)
        {
            handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPem(settings.ClientCertificatePem, settings.ClientKeyPem)];
        }

        if (settings.InsecureSkipTlsVerify)
        {
#pragma warning disable CA5359 // The kubeconfig asked for insecure-skip-tls-verify explicitly (labs); kubectl honours it too.
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (settings.CertificateAuthorityPem is not null)
        {
            var roots = new X509Certificate2Collection();
            roots.ImportFromPem(settings.CertificateAuthorityPem);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                Validate(roots, certificate, errors);
        }

        return handler;
    }

    private static bool Validate(X509Certificate2Collection roots, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        // Trust exactly the kubeconfig's CA bundle, not the system store.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        if (certificate is X509Certificate2 full)
        {
            return chain.Build(full);
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
