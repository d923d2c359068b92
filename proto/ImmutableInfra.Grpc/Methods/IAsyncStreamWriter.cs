namespace ImmutableInfra.Grpc;

/// <summary>Writes a stream of messages; one write at a time.</summary>
public interface IAsyncStreamWriter<in T>
{
    /// <summary>Writes one message and flushes it to the peer.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}

/// <summary>The request stream of a client-streaming or duplex call.</summary>
public interface IClientStreamWriter<in T> : IAsyncStreamWriter<T>
{
    /// <summary>Ends the request stream (half-close).</summary>
    Task CompleteAsync();
}

/// <summary>The response stream of a server-streaming or duplex handler.</summary>
public interface IServerStreamWriter<in T> : IAsyncStreamWriter<T>
{
}
