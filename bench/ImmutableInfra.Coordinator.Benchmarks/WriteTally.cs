using System.Globalization;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Coordinator.Benchmarks;

/// <summary>
/// Which objects a phase wrote: the API server's committed changes between two resourceVersions, replayed by
/// watching each kind from the first, counted by kind and by added/modified/deleted.
/// </summary>
internal static class WriteTally
{
    public static async Task<string> DescribeAsync(KubeClient api, string namespaceName, long fromVersion, long toVersion, CancellationToken ct)
    {
        using var replay = CancellationTokenSource.CreateLinkedTokenSource(ct);
        replay.CancelAfter(TimeSpan.FromSeconds(5));
        var counts = await Task.WhenAll(
            CountAsync(api.Resource(InfrastructureResources.MachineInventories), namespaceName, fromVersion, toVersion, replay.Token),
            CountAsync(api.Resource(InfrastructureResources.BaremetalMachines), namespaceName, fromVersion, toVersion, replay.Token),
            CountAsync(api.Resource(InfrastructureResources.MachineInventoryPools), namespaceName, fromVersion, toVersion, replay.Token),
            CountAsync(api.Resource(InfrastructureResources.BaremetalClusters), namespaceName, fromVersion, toVersion, replay.Token),
            CountAsync(api.Resource(KubeResources.CapiMachines), namespaceName, fromVersion, toVersion, replay.Token),
            CountAsync(api.Resource(KubeResources.Secrets), namespaceName, fromVersion, toVersion, replay.Token),
            CountAsync(api.Resource(KubeResources.Events), namespaceName, fromVersion, toVersion, replay.Token));
        return string.Join(", ", counts.Where(c => c.Total > 0).Select(c => c.ToString()));
    }

    private static async Task<KindCount> CountAsync<T>(IResourceClient<T> client, string namespaceName, long fromVersion, long toVersion, CancellationToken ct)
        where T : KubeObject
    {
        int added = 0, modified = 0, deleted = 0;
        try
        {
            var options = new WatchOptions { ResourceVersion = fromVersion.ToString(CultureInfo.InvariantCulture), AllowWatchBookmarks = false };
            await foreach (var change in client.WatchAsync(namespaceName, options, ct).ConfigureAwait(false))
            {
                if (!long.TryParse(change.ResourceVersion, CultureInfo.InvariantCulture, out var version) || version > toVersion)
                {
                    break;
                }

                switch (change.Type)
                {
                    case WatchEventType.Added:
                        added++;
                        break;
                    case WatchEventType.Modified:
                        modified++;
                        break;
                    case WatchEventType.Deleted:
                        deleted++;
                        break;
                    default:
                        break;
                }

                if (version == toVersion)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or KubeConnectionException)
        {
            // The replay ends by timeout when the kind has nothing newer than the phase.
        }

        return new KindCount(client.Descriptor.Kind, added, modified, deleted);
    }

    private sealed record KindCount(string Kind, int Added, int Modified, int Deleted)
    {
        public int Total => Added + Modified + Deleted;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind} +{Added} ~{Modified} -{Deleted}");
    }
}
