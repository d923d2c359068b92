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

    /// <summary>
    /// The pool's token as its Secret holds it, trimmed (a Secret made from a file often ends in a newline; the token
    /// never does). SecretFound is false without the Secret; Token is null without a non-empty value under the key.
    /// </summary>
    public static async Task<(bool SecretFound, string? Token)> ReadAsync(IResourceClient<Secret> secrets, MachineInventoryPool pool, CancellationToken ct)
    {
        Secret secret;
        try
        {
            secret = await secrets.GetAsync(pool.Metadata.Namespace, SecretName(pool), ct).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            return (false, null);
        }

        var token = secret.Data?.GetValueOrDefault(SecretKey(pool)) is { Length: > 0 } bytes ? Encoding.UTF8.GetString(bytes).Trim() : null;
        return (true, string.IsNullOrEmpty(token) ? null : token);
    }
}
