using System.Security.Cryptography;
using System.Text;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Coordinator.AgentApi;

/// <summary>A pool's registration token: where it lives (a Secret key) and how a presented one is checked.</summary>
internal static class PoolTokens
{
    public const string DefaultKey = "token";

    public static string SecretName(MachineInventoryPool pool) =>
        pool.Spec?.Registration?.TokenSecretRef?.Name is { Length: > 0 } name ? name : pool.Metadata.Name + "-registration";

    public static string SecretKey(MachineInventoryPool pool) =>
        pool.Spec?.Registration?.TokenSecretRef?.Key is { Length: > 0 } key ? key : DefaultKey;

    /// <summary>A new random token (256 bits, URL-safe).</summary>
    public static string NewToken() => HostCredential.RandomSecret();

    /// <summary>Constant-time check of <paramref name="presented"/> against the pool's Secret; false when there is none.</summary>
    public static async Task<bool> VerifyAsync(IResourceClient<Secret> secrets, MachineInventoryPool pool, string presented, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return false;
        }

        Secret secret;
        try
        {
            secret = await secrets.GetAsync(pool.Metadata.Namespace, SecretName(pool), ct).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            return false;
        }

        if (secret.Data?.GetValueOrDefault(SecretKey(pool)) is not { Length: > 0 } expected)
        {
            return false;
        }

        // Hash both sides first so the comparison's time depends on neither length.
        // A Secret made from a file often ends in a newline; the token never does.
        var stored = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(expected).Trim());
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(stored), SHA256.HashData(Encoding.UTF8.GetBytes(presented.Trim())));
    }
}
