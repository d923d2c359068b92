namespace ImmutableInfra.Grpc.Internal;

/// <summary>The response stream a streaming handler writes.</summary>
internal sealed class ServerResponseStream<T>(IServerCallTransport transport, Marshaller<T> marshaller, CancellationToken callCancellation) : IServerStreamWriter<T>
{
    public Task WriteAsync(T message, CancellationToken cancellationToken = default) =>
        transport.WriteMessageAsync(message, marshaller, flush: true, cancellationToken.CanBeCanceled ? cancellationToken : callCancellation);
}
