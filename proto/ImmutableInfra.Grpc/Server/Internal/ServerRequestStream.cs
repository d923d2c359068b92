namespace ImmutableInfra.Grpc.Internal;

/// <summary>The request stream a streaming handler reads.</summary>
internal sealed class ServerRequestStream<T>(IServerCallTransport transport, Marshaller<T> marshaller, CancellationToken callCancellation) : IAsyncStreamReader<T>
{
    private T? _current;

    public T Current => _current ?? throw new InvalidOperationException("No current message: call MoveNext first.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        // Handlers usually pass the call's own token: linking it to itself would cost a source per message.
        using var linked = cancellationToken.CanBeCanceled && cancellationToken != callCancellation
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, callCancellation)
            : null;
        var payload = await transport.ReadMessageAsync(linked?.Token ?? callCancellation).ConfigureAwait(false);
        if (payload is null)
        {
            _current = default;
            return false;
        }

        _current = marshaller.Deserialize(payload.Value);
        return true;
    }
}
