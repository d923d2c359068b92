using System.Net;

namespace ImmutableInfra.Grpc.Internal;

/// <summary>
/// The body of a streaming-request call: HttpClient hands us the request stream, the caller
/// writes frames into it, and the body ends when the caller completes (or the call ends).
/// </summary>
internal sealed class StreamingRequestContent : HttpContent
{
    private readonly TaskCompletionSource<Stream> _stream = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StreamingRequestContent()
    {
        Headers.ContentType = GrpcChannel.ContentTypeValue;
    }

    public Task<Stream> RequestStream => _stream.Task;

    public void Complete() => _completed.TrySetResult();

    /// <summary>Fails writers still waiting for the body; a body already handed out is left to its own errors.</summary>
    public void FailIfNotStarted(Exception reason) => _stream.TrySetException(reason);

    public void Abort(Exception reason)
    {
        _stream.TrySetException(reason);
        _completed.TrySetResult();
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        // HttpClient holds the HEADERS frame back until the body is flushed; a duplex call must
        // reach the server before its first message (dotnet/runtime#30378).
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        _stream.TrySetResult(stream);
        await _completed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
