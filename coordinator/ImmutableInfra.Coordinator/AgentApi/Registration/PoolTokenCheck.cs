using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.Caching;
using ImmutableInfra.Kubernetes.Cache;

namespace ImmutableInfra.Coordinator.AgentApi.Registration;

/// <summary>
/// Checks a registrant's pool and token together, with one answer for both ways to fail: a missing pool and a wrong
/// token look the same to the caller (so pool names cannot be probed without a token) and cost the same (a hash and
/// a constant-time compare). The token's hash is kept per pool so a flood of wrong tokens reads the pool's Secret at
/// most once per <see cref="RefreshAfterMismatch"/>, not once per call; a rotated token is seen within that time
/// after the first caller presents it, and an old token stops working within <see cref="MaxAge"/>.
/// </summary>
internal sealed class PoolTokenCheck(ResourceCaches caches, TimeProvider time)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RefreshAfterMismatch = TimeSpan.FromSeconds(1);

    // Compared against when there is no pool or no token, so those answers take as long as a wrong token.
    private static readonly byte[] NoToken = SHA256.HashData(Encoding.UTF8.GetBytes(HostCredential.RandomSecret()));

    private readonly ConcurrentDictionary<string, Entry> _tokens = new(StringComparer.Ordinal);

    /// <summary>The pool if it exists and <paramref name="presented"/> is its token; null otherwise (whichever it was).</summary>
    public async Task<MachineInventoryPool?> VerifyAsync(string poolNamespace, string poolName, string presented, CancellationToken ct)
    {
        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented.Trim()));
        var pool = caches.PoolCache.Get(poolNamespace, poolName);
        if (pool is null || presented.Length == 0)
        {
            CryptographicOperations.FixedTimeEquals(presentedHash, NoToken);
            return null;
        }

        var key = CacheKeys.Of(pool);
        var now = time.GetUtcNow();
        var entry = _tokens.GetValueOrDefault(key);
        if (entry is null || now - entry.ReadAt > MaxAge)
        {
            entry = await ReadAsync(pool, key, now, ct).ConfigureAwait(false);
        }

        if (CryptographicOperations.FixedTimeEquals(presentedHash, entry.Hash ?? NoToken))
        {
            return pool;
        }

        // Perhaps the token was rotated since: look again, but not for every caller of a flood.
        if (now - entry.ReadAt > RefreshAfterMismatch)
        {
            entry = await ReadAsync(pool, key, now, ct).ConfigureAwait(false);
            return CryptographicOperations.FixedTimeEquals(presentedHash, entry.Hash ?? NoToken) ? pool : null;
        }

        return null;
    }

    private async Task<Entry> ReadAsync(MachineInventoryPool pool, string key, DateTimeOffset now, CancellationToken ct)
    {
        // A known entry is stamped before the read, so the other callers of a flood compare with it meanwhile
        // instead of reading too.
        if (_tokens.TryGetValue(key, out var known))
        {
            _tokens.TryUpdate(key, known with { ReadAt = now }, known);
        }

        var (_, token) = await PoolTokens.ReadAsync(caches.Secrets, pool, ct).ConfigureAwait(false);
        var entry = new Entry(token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token)), now);
        _tokens[key] = entry;
        return entry;
    }

    private sealed record Entry(byte[]? Hash, DateTimeOffset ReadAt);
}
