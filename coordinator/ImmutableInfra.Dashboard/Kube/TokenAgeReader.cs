using ImmutableInfra.Dashboard.Fleet;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Dashboard.Kube;

/// <summary>
/// Reads the age of each pool's registration-token Secret with a GET per pool (never a list of every Secret), keeps
/// only its timestamps and drops the data at once. A 403 is shown as "not permitted". The age is that of the last
/// write to the Secret when the server reports it (managedFields), else of its creation.
/// </summary>
internal sealed partial class TokenAgeReader(IKubernetes client, FleetStore store, DashboardOptions options, ILogger logger)
{
    private const int MaxPools = 500;

    public async Task RunAsync(CancellationToken ct)
    {
        var poolsChanged = new SemaphoreSlim(0, 1);
        void OnChanged(FleetKinds kinds)
        {
            if (kinds.HasFlag(FleetKinds.Pools) && poolsChanged.CurrentCount == 0)
            {
                try
                {
                    poolsChanged.Release();
                }
                catch (SemaphoreFullException)
                {
                }
            }
        }

        store.Changed += OnChanged;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                foreach (var pool in store.Pools.Values.Take(MaxPools).ToList())
                {
                    store.SetToken(pool.Key, await ReadAsync(pool, ct).ConfigureAwait(false));
                }

                try
                {
                    await poolsChanged.WaitAsync(options.TokenRefresh, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
        finally
        {
            store.Changed -= OnChanged;
            poolsChanged.Dispose();
        }
    }

    private async Task<TokenAge> ReadAsync(PoolView pool, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.RequestTimeout);
        try
        {
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(pool.TokenSecretName, pool.Metadata.Namespace, cancellationToken: deadline.Token).ConfigureAwait(false);
            return new TokenAge(TokenAccess.Present, LastWritten(secret.Metadata));
        }
        catch (Exception e) when (ApiFailures.IsForbidden(e))
        {
            return new TokenAge(TokenAccess.NotPermitted, null);
        }
        catch (Exception e) when (ApiFailures.IsNotFound(e))
        {
            return new TokenAge(TokenAccess.Missing, null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var why = ApiFailures.Describe(e);
            Log.ReadFailed(logger, pool.Key, why);
            return store.TokenOf(pool.Key);
        }
    }

    private static DateTimeOffset? LastWritten(V1ObjectMeta? meta)
    {
        var written = meta?.ManagedFields?.Where(f => f.Time is not null).Select(f => f.Time!.Value).DefaultIfEmpty().Max();
        var at = written is { } w && w != default ? w : meta?.CreationTimestamp;
        return at is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "token Secret of pool {Pool}: read failed: {Error}")]
        public static partial void ReadFailed(ILogger logger, string pool, string error);
    }
}
