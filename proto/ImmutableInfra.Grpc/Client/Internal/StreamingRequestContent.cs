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
        try
        {
            await _completed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // HttpClient stops the body when the response ended first (a trailers-only status). Failing
            // here would race that response: SendAsync could report "a task was canceled" instead of
            // the server's status. A cancelled call is reported by HttpClient from its own token.
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = -1;
        return false;
    }
}
