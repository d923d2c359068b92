using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.Caching;
using ImmutableInfra.Kubernetes.Client;

namespace ImmutableInfra.Coordinator.Hosts;

/// <summary>
/// The one way host status is written: a change applied to the newest copy, the state derived again in
/// the same write, sent only when something changed, guarded by resourceVersion and retried on conflict
/// against a fresh read. Several writers (the leader's controllers, whichever replica serves the agent)
/// share the object; optimistic concurrency keeps each write whole and none lost.
/// </summary>
internal sealed class HostStatusWriter(ResourceCaches caches, TimeProvider time)
{
    private const int MaxAttempts = 8;

    /// <summary>Applies <paramref name="change"/> (return false to write nothing) and writes; null if the host is gone.</summary>
    public async Task<MachineInventory?> UpdateAsync(
        string? namespaceName,
        string name,
        Func<MachineInventory, bool> change,
        Func<MachineInventory, bool>? offline,
        CancellationToken cancellationToken)
    {
        var descriptor = InfrastructureResources.MachineInventories;
        // The copy to change and the test for "changed" come from one serialisation of the object read: hosts carry
        // their whole inventory, and this runs for every agent report and every host reconcile.
        var cached = caches.HostCache.Get(namespaceName, name);
        var read = cached is null ? null : ObjectCopy.Serialize(cached, descriptor);
        for (var attempt = 1; ; attempt++)
        {
            MachineInventory current;
            if (read is null)
            {
                try
                {
                    current = await caches.Hosts.GetAsync(namespaceName, name, cancellationToken).ConfigureAwait(false);
                }
                catch (KubeNotFoundException)
                {
                    return null;
                }

                read = ObjectCopy.Serialize(current, descriptor);
            }
            else
            {
                current = ObjectCopy.Deserialize(read, descriptor);
            }

            current.Status ??= new MachineInventoryStatus();
            var wanted = change(current);
            var state = HostStateMachine.Derive(current, offline?.Invoke(current) ?? StaysOffline(current));
            if (current.Status.State != state)
            {
                current.Status.State = state;
                wanted = true;
            }

            current.Status.ObservedGeneration = current.Metadata.Generation;
            if (!wanted || ObjectCopy.Serialize(current, descriptor).AsSpan().SequenceEqual(read))
            {
                return current;
            }

            try
            {
                return await caches.Hosts.UpdateStatusAsync(current, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeConflictException) when (attempt < MaxAttempts)
            {
                read = null;
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), time, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeNotFoundException)
            {
                return null;
            }
        }
    }

    // Only the leader decides a host is Offline; other writers keep it so until the host has a stream again.
    private static bool StaysOffline(MachineInventory host) =>
        host.Status?.State == HostState.Offline && string.IsNullOrEmpty(host.Status.ConnectedTo);
}
