using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Coordinator.Caching;

/// <summary>
/// One Lease per coordinator replica, renewed on its own client. A replica records in each host it serves
/// only that it serves it (<c>status.connectedTo</c>), once per stream; if the replica dies it cannot
/// clear that, so the leader treats a host whose replica's Lease expired as without a stream. This keeps
/// liveness at a few writes per replica instead of one write per host per interval.
/// </summary>
internal sealed partial class ReplicaLeases(IResourceClient<Lease> leases, string namespaceName, string replicaId, TimeSpan duration, TimeProvider time, ILogger logger)
{
    public const string Label = "infrastructure.cluster.x-k8s.io/coordinator-replica";

    public static string LeaseName(string replicaId) => "immutableinfra-replica-" + replicaId.ToLowerInvariant();

    /// <summary>Whether <paramref name="replica"/>'s Lease was renewed within its duration, by the cached copy.</summary>
    public static bool IsAlive(ResourceCaches caches, string namespaceName, string replica, DateTimeOffset now, out DateTimeOffset lastRenew)
    {
        var lease = caches.ReplicaLeaseCache.Get(namespaceName, LeaseName(replica));
        lastRenew = lease?.Spec?.RenewTime ?? DateTimeOffset.MinValue;
        return IsAlive(lease, now);
    }

    /// <summary>Whether <paramref name="lease"/> was renewed within its duration.</summary>
    public static bool IsAlive(Lease? lease, DateTimeOffset now) =>
        lease?.Spec is { RenewTime: { } renewed, LeaseDurationSeconds: { } seconds } && renewed + TimeSpan.FromSeconds(seconds) > now;

    /// <summary>Renews until cancelled (every third of the duration), then deletes the Lease so hosts fail over at once.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var name = LeaseName(replicaId);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RenewAsync(name, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is KubeApiException or KubeConnectionException or TimeoutException)
            {
                RenewFailed(logger, e, name);
            }

            try
            {
                await Task.Delay(duration / 3, time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await leases.DeleteAsync(namespaceName, name, cancellationToken: cleanup.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException or OperationCanceledException)
        {
            // It expires on its own.
        }
    }

    private async Task RenewAsync(string name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        try
        {
            var lease = await leases.GetAsync(namespaceName, name, cancellationToken).ConfigureAwait(false);
            lease.Spec ??= new LeaseSpec();
            lease.Spec.HolderIdentity = replicaId;
            lease.Spec.RenewTime = now;
            lease.Spec.LeaseDurationSeconds = (int)Math.Ceiling(duration.TotalSeconds);
            await leases.UpdateAsync(lease, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            await leases.CreateAsync(new Lease
            {
                ApiVersion = KubeResources.Leases.ApiVersion,
                Kind = KubeResources.Leases.Kind,
                Metadata = new ObjectMeta { Name = name, Namespace = namespaceName, Labels = new() { [Label] = "true" } },
                Spec = new LeaseSpec
                {
                    HolderIdentity = replicaId,
                    AcquireTime = now,
                    RenewTime = now,
                    LeaseDurationSeconds = (int)Math.Ceiling(duration.TotalSeconds),
                },
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Renewing replica lease {Lease} failed")]
    private static partial void RenewFailed(ILogger logger, Exception exception, string lease);
}
