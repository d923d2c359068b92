using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>The REST operations of one kind, driven entirely by its <see cref="ResourceDescriptor{T}"/>.</summary>
public sealed class ResourceClient<T> : IResourceClient<T>
    where T : KubeObject
{
    private const string MergePatch = "application/merge-patch+json";
    private readonly KubeTransport _transport;

    internal ResourceClient(KubeTransport transport, ResourceDescriptor<T> descriptor)
    {
        _transport = transport;
        Descriptor = descriptor;
    }

    public ResourceDescriptor<T> Descriptor { get; }

    public async Task<T> GetAsync(string? namespaceName, string name, CancellationToken cancellationToken = default)
    {
        var body = await _transport.SendAsync(new(HttpMethod.Get, ResourcePaths.Item(Descriptor, namespaceName, name)), cancellationToken).ConfigureAwait(false);
        return Read(body);
    }

    public async Task<KubeList<T>> ListAsync(string? namespaceName, ListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = ResourcePaths.Query(
            ResourcePaths.Collection(Descriptor, namespaceName),
            ("labelSelector", options?.LabelSelector),
            ("fieldSelector", options?.FieldSelector),
            ("limit", ResourcePaths.Number(options?.Limit)),
            ("continue", options?.Continue),
            ("resourceVersion", options?.ResourceVersion));
        var body = await _transport.SendAsync(new(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        return KubeListReader.Read(body, Descriptor.TypeInfo);
    }

    public async Task<T> CreateAsync(T item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var path = ResourcePaths.Collection(Descriptor, item.Metadata.Namespace);
        var body = await _transport.SendAsync(new(HttpMethod.Post, path, Serialize(item)), cancellationToken).ConfigureAwait(false);
        return Read(body);
    }

    public Task<T> UpdateAsync(T item, CancellationToken cancellationToken = default) => PutAsync(item, null, cancellationToken);

    public Task<T> UpdateStatusAsync(T item, CancellationToken cancellationToken = default) => PutAsync(item, "status", cancellationToken);

    public Task<T> PatchAsync(string? namespaceName, string name, string mergePatchJson, CancellationToken cancellationToken = default) =>
        SendPatchAsync(namespaceName, name, null, mergePatchJson, cancellationToken);

    public Task<T> PatchStatusAsync(string? namespaceName, string name, string mergePatchJson, CancellationToken cancellationToken = default) =>
        SendPatchAsync(namespaceName, name, "status", mergePatchJson, cancellationToken);

    public async Task DeleteAsync(string? namespaceName, string name, DeleteOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = options is null ? null : JsonSerializer.SerializeToUtf8Bytes(options, KubeClientJsonContext.Default.DeleteOptions);
        await _transport.SendAsync(new(HttpMethod.Delete, ResourcePaths.Item(Descriptor, namespaceName, name), body), cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<WatchEvent<T>> WatchAsync(
        string? namespaceName,
        WatchOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var serverTimeout = options?.Timeout ?? _transport.Options.WatchTimeout;
        var path = ResourcePaths.Query(
            ResourcePaths.Collection(Descriptor, namespaceName),
            ("watch", "true"),
            ("labelSelector", options?.LabelSelector),
            ("fieldSelector", options?.FieldSelector),
            ("resourceVersion", options?.ResourceVersion),
            ("allowWatchBookmarks", options?.AllowWatchBookmarks == false ? null : "true"),
            ("timeoutSeconds", ((long)Math.Ceiling(serverTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture)));
        using var response = await _transport.OpenStreamAsync(new(HttpMethod.Get, path), serverTimeout + _transport.Options.WatchGrace, cancellationToken).ConfigureAwait(false);
        var stream = await response.Response.Content.ReadAsStreamAsync(response.Token).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var lines = new WatchLineReader(stream, _transport.Options.MaxWatchLineBytes);
            while (true)
            {
                ReadOnlyMemory<byte>? line;
                try
                {
                    line = await lines.ReadLineAsync(response.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The client-side bound of the watch elapsed: end the stream like a server timeout does.
                    yield break;
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    // A dropped connection ends the watch; the caller resumes from its last resourceVersion.
                    yield break;
                }

                if (line is null)
                {
                    yield break;
                }

                WatchEvent<T> watchEvent;
                try
                {
                    watchEvent = WatchLineParser.Parse(line.Value.Span, Descriptor.TypeInfo);
                }
                catch (JsonException e)
                {
                    throw new WatchFormatException($"watch of {Descriptor.Plural} sent a line that is not a watch event: {e.Message}", e);
                }

                yield return watchEvent;
            }
        }
    }

    private async Task<T> PutAsync(T item, string? subresource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var path = ResourcePaths.Item(Descriptor, item.Metadata.Namespace, item.Metadata.Name ?? string.Empty, subresource);
        var body = await _transport.SendAsync(new(HttpMethod.Put, path, Serialize(item)), cancellationToken).ConfigureAwait(false);
        return Read(body);
    }

    private async Task<T> SendPatchAsync(string? namespaceName, string name, string? subresource, string patch, CancellationToken cancellationToken)
    {
        var path = ResourcePaths.Item(Descriptor, namespaceName, name, subresource);
        var body = await _transport.SendAsync(new(HttpMethod.Patch, path, Encoding.UTF8.GetBytes(patch), MergePatch), cancellationToken).ConfigureAwait(false);
        return Read(body);
    }

    private byte[] Serialize(T item)
    {
        item.ApiVersion ??= Descriptor.ApiVersion;
        item.Kind ??= Descriptor.Kind;
        return JsonSerializer.SerializeToUtf8Bytes(item, Descriptor.TypeInfo);
    }

    private T Read(byte[] body) =>
        JsonSerializer.Deserialize(body, Descriptor.TypeInfo) ?? throw new JsonException($"empty {Descriptor.Kind} in the answer");
}
