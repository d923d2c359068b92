namespace ImmutableInfra.Grpc.Internal;

/// <summary>The response stream of a server-streaming or duplex call.</summary>
internal sealed class ClientResponseStream<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call) : IAsyncStreamReader<TResponse>
{
    private TResponse? _current;

    public TResponse Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        var (hasMessage, message) = await call.ReadNextResponseAsync(cancellationToken).ConfigureAwait(false);
        _current = message;
        return hasMessage;
    }
}
