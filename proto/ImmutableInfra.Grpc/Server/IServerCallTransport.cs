namespace ImmutableInfra.Grpc;

/// <summary>The message pipe of one server call, implemented by the HTTP host (Kestrel).</summary>
public interface IServerCallTransport
{
    /// <summary>Reads the next request message payload (valid until the next read); null at the end of the request stream.</summary>
    ValueTask<ReadOnlyMemory<byte>?> ReadMessageAsync(CancellationToken cancellationToken);

    /// <summary>Frames and sends one response message, sending the response headers first if needed.</summary>
    Task WriteMessageAsync<T>(T message, Marshaller<T> marshaller, bool flush, CancellationToken cancellationToken);
}
