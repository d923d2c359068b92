using System.Text.Json;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Coordinator.Caching;

/// <summary>Deep copies of cached objects (cached instances are shared and must never be changed).</summary>
internal static class ObjectCopy
{
    public static T Of<T>(T item, ResourceDescriptor<T> descriptor)
        where T : KubeObject =>
        Deserialize(Serialize(item, descriptor), descriptor);

    /// <summary>The object's JSON, to copy it from (<see cref="Deserialize"/>) and to tell later whether it changed.</summary>
    public static byte[] Serialize<T>(T item, ResourceDescriptor<T> descriptor)
        where T : KubeObject =>
        JsonSerializer.SerializeToUtf8Bytes(item, descriptor.TypeInfo);

    public static T Deserialize<T>(byte[] json, ResourceDescriptor<T> descriptor)
        where T : KubeObject =>
        JsonSerializer.Deserialize(json, descriptor.TypeInfo)!;

    /// <summary>Whether two objects serialise identically: a write that would change nothing is skipped.</summary>
    public static bool SameJson<T>(T left, T right, ResourceDescriptor<T> descriptor)
        where T : KubeObject =>
        Serialize(left, descriptor).AsSpan().SequenceEqual(Serialize(right, descriptor));

    /// <summary>Writes <paramref name="updated"/>'s status unless it equals the cached object (writes scale with changes, not reconciles).</summary>
    public static async Task WriteStatusIfChangedAsync<T>(IResourceClient<T> client, T cached, T updated, CancellationToken ct)
        where T : KubeObject
    {
        if (!SameJson(cached, updated, client.Descriptor))
        {
            await client.UpdateStatusAsync(updated, ct).ConfigureAwait(false);
        }
    }
}
