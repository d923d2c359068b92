using System.Security.Cryptography;
using System.Text;

namespace ImmutableInfra.Coordinator.AgentApi;

/// <summary>
/// The per-host credential: <c>iih1.&lt;namespace&gt;.&lt;host&gt;.&lt;256 random bits&gt;</c>. The host it names
/// tells which object to check; only its SHA-256 is stored (a full-entropy secret needs no slow hash).
/// </summary>
internal static class HostCredential
{
    private const string Prefix = "iih1.";

    public static string Issue(string namespaceName, string hostName) =>
        $"{Prefix}{namespaceName}.{hostName}.{RandomSecret()}";

    public static string Hash(string credential) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential)));

    /// <summary>The host a credential names (host names may hold dots, namespaces and the secret cannot); false for anything else.</summary>
    public static bool TryParse(string credential, out string namespaceName, out string hostName)
    {
        namespaceName = hostName = string.Empty;
        if (!credential.StartsWith(Prefix, StringComparison.Ordinal) || credential.Length > 512)
        {
            return false;
        }

        var rest = credential.AsSpan(Prefix.Length);
        var firstDot = rest.IndexOf('.');
        var lastDot = rest.LastIndexOf('.');
        if (firstDot <= 0 || lastDot <= firstDot + 1 || lastDot == rest.Length - 1)
        {
            return false;
        }

        namespaceName = rest[..firstDot].ToString();
        hostName = rest[(firstDot + 1)..lastDot].ToString();
        return true;
    }

    /// <summary>Constant-time comparison of a presented credential with the stored hash.</summary>
    public static bool Matches(string credential, string? storedHash)
    {
        if (storedHash is null)
        {
            return false;
        }

        var presented = Encoding.ASCII.GetBytes(Hash(credential));
        var stored = Encoding.ASCII.GetBytes(storedHash);
        return CryptographicOperations.FixedTimeEquals(presented, stored);
    }

    /// <summary>256 random bits, URL-safe base64 without padding: the secret part of credentials and pool tokens.</summary>
    public static string RandomSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
