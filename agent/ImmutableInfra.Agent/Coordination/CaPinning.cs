using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>Validates the coordinator's certificate against the pinned CA bundle only, never the system store.</summary>
internal static class CaPinning
{
    public static bool Validate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection trusted)
    {
        if (certificate is null)
        {
            return false;
        }

        // Chain errors are expected (the CA is not in the system store) and checked again below against the bundle;
        // a name mismatch or a missing certificate is never acceptable.
        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
