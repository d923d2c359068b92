using System.Security.Cryptography.X509Certificates;

namespace ImmutableInfra.Grpc.Server.Internal;

/// <summary>Accepts a client certificate only if it chains to one of the configured CAs (not the system store).</summary>
internal static class ClientCertificateValidation
{
    public static bool Validate(X509Certificate2 certificate, X509Certificate2Collection trustedCas)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustedCas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
