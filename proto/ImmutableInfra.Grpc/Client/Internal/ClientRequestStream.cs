namespace ImmutableInfra.Grpc.Internal;

/// <summary>The request stream of a client-streaming or duplex call; one write at a time.</summary>
internal sealed class ClientRequestStream<TRequest, TResponse>(GrpcCall<TRequest, TResponse> call, StreamingRequestContent content) : IClientStreamWriter<TRequest>
{
    private int _writing;
    private bool _completed;

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken = default)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The request stream was already completed.");
        }

        if (Interlocked.Exchange(ref _writing, 1) == 1)
        {
            throw new InvalidOperationException("Only one write may be pending at a time.");
        }

        try
        {
            call.ThrowIfFinished();
            using var frame = MessageFrameWriter.Frame(message, call.Method.RequestMarshaller, call.Channel.Options.MaxSendMessageSize, call.Channel.Options.SendCompression);
            using var linked = cancellationToken.CanBeCanceled
                ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.CallToken)
                : null;
            var token = linked?.Token ?? call.CallToken;
            var stream = await content.RequestStream.WaitAsync(token).ConfigureAwait(false);
            await stream.WriteAsync(frame.Memory, token).ConfigureAwait(false);
            await stream.FlushAsync(token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Caller misuse is rejected above; everything here is the call or the transport, and becomes a status.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // Not only IOException: once the server has ended the call, HttpClient disposes the request
            // body and a write throws ObjectDisposedException, which must not reach the caller as such.
            throw await call.ToWriteFailureAsync(ex).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }

    public Task CompleteAsync()
    {
        _completed = true;
        content.Complete();
        return Task.CompletedTask;
    }
}
