using System.Collections.Concurrent;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.AgentApi;
using ImmutableInfra.Coordinator.Caching;
using ImmutableInfra.Kubernetes.Cache;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Kubernetes.Queue;

namespace ImmutableInfra.Coordinator.Controllers;

/// <summary>A pool's host counts per state (written only when a count changes, at most about once a second) and its registration token Secret.</summary>
internal sealed class MachineInventoryPoolController(ResourceCaches caches, EventRecorder events, TimeProvider time)
{
    public const string Name = "machineinventorypool";

    public const string TokenReady = "RegistrationTokenReady";

    // A pool is reconciled on every state change of its hosts; its token Secret is looked for again only this often
    // (a deleted Secret is recreated within it), not on each of those reconciles.
    private static readonly TimeSpan TokenRecheckInterval = TimeSpan.FromMinutes(5);

    // Hosts change state by the thousand when machines are created in bulk, and each count walks every host of the
    // pool: the counts follow their hosts within this delay, in one reconcile, instead of once per host change.
    private static readonly TimeSpan CountsDelay = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, long> _tokenSeenAt = new(StringComparer.Ordinal);

    public void Watch(ControllerLoop loop)
    {
        caches.PoolCache.AddHandler(new ResourceChangeHandler<MachineInventoryPool>(p => loop.Enqueue(CacheKeys.Of(p)), (_, p) => loop.Enqueue(CacheKeys.Of(p))));
        caches.HostCache.AddHandler(new ResourceChangeHandler<MachineInventory>(
            h => EnqueuePools(loop, h),
            (before, h) =>
            {
                if (before.Status?.State != h.Status?.State || before.Metadata.Labels?.Count != h.Metadata.Labels?.Count)
                {
                    EnqueuePools(loop, h);
                }
            },
            h => EnqueuePools(loop, h)));
    }

    public async Task<WorkResult> ReconcileAsync(string key, CancellationToken ct)
    {
        var (namespaceName, name) = CacheKeys.Split(key);
        var cached = caches.PoolCache.Get(namespaceName, name);
        if (cached is null)
        {
            return WorkResult.Done;
        }

        var pool = ObjectCopy.Of(cached, InfrastructureResources.MachineInventoryPools);
        var status = pool.Status ??= new MachineInventoryPoolStatus();
        var now = time.GetUtcNow();
        status.SetCounts(caches.HostsIn(pool).Select(h => h.Status?.State ?? HostState.Registering));
        var secretName = PoolTokens.SecretName(pool);
        if (await EnsureTokenAsync(pool, secretName, ct).ConfigureAwait(false))
        {
            events.Normal(pool, InfrastructureResources.MachineInventoryPools.Kind, "RegistrationTokenCreated",
                $"Created registration token Secret {secretName}");
        }

        status.SetCondition(TokenReady, ConditionStatus.True, "SecretPresent", $"Hosts register with the token in Secret {secretName}", pool.Metadata.Generation, now);
        status.SetCondition(ConditionTypes.Ready, ConditionStatus.True, MachineConditions.Ready, null, pool.Metadata.Generation, now);
        status.ObservedGeneration = pool.Metadata.Generation;
        await ObjectCopy.WriteStatusIfChangedAsync(caches.Pools, cached, pool, ct).ConfigureAwait(false);

        return WorkResult.Done;
    }

    // Creates the token Secret when it does not exist (owned by the pool, so it goes with it). Returns whether it did.
    private async Task<bool> EnsureTokenAsync(MachineInventoryPool pool, string secretName, CancellationToken ct)
    {
        var seenKey = $"{pool.Metadata.Uid}/{secretName}";
        if (_tokenSeenAt.TryGetValue(seenKey, out var seen) && time.GetElapsedTime(seen) < TokenRecheckInterval)
        {
            return false;
        }

        try
        {
            await caches.Secrets.GetAsync(pool.Metadata.Namespace, secretName, ct).ConfigureAwait(false);
            _tokenSeenAt[seenKey] = time.GetTimestamp();
            return false;
        }
        catch (KubeNotFoundException)
        {
        }

        try
        {
            await caches.Secrets.CreateAsync(TokenSecret(pool, secretName, PoolTokens.NewToken()), ct).ConfigureAwait(false);
            return true;
        }
        catch (KubeAlreadyExistsException)
        {
            return false;
        }
    }

    /// <summary>A registration token Secret for <paramref name="pool"/>, owned by it.</summary>
    public static Secret TokenSecret(MachineInventoryPool pool, string secretName, string token) => new()
    {
        ApiVersion = KubeResources.Secrets.ApiVersion,
        Kind = KubeResources.Secrets.Kind,
        Type = "Opaque",
        Metadata = new ObjectMeta
        {
            Name = secretName,
            Namespace = pool.Metadata.Namespace,
            OwnerReferences =
            [
                new OwnerReference
                {
                    ApiVersion = InfrastructureResources.MachineInventoryPools.ApiVersion,
                    Kind = InfrastructureResources.MachineInventoryPools.Kind,
                    Name = pool.Metadata.Name,
                    Uid = pool.Metadata.Uid,
                },
            ],
        },
        Data = new Dictionary<string, byte[]> { [PoolTokens.SecretKey(pool)] = System.Text.Encoding.UTF8.GetBytes(token) },
    };

    private void EnqueuePools(ControllerLoop loop, MachineInventory host)
    {
        foreach (var pool in caches.PoolCache.List().Where(p => HostEligibility.InPool(p, host)))
        {
            loop.EnqueueAfter(CacheKeys.Of(pool), CountsDelay);
        }
    }
}
