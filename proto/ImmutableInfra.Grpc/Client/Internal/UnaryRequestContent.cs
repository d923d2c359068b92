using System.Net;

namespace ImmutableInfra.Grpc.Internal;

/// <summary>The body of a single-request call: one framed message, written at once.</summary>
internal sealed class UnaryRequestContent : HttpContent
{
    private FramedMessage? _frame;

    public UnaryRequestContent(FramedMessage frame)
    {
        _frame = frame;
        Headers.ContentType = GrpcChannel.ContentTypeValue;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var frame = _frame ?? throw new InvalidOperationException("The request body was already sent.");
        await stream.WriteAsync(frame.Memory, cancellationToken).ConfigureAwait(false);
    }

    // The single frame's length is known, and a content-length lets HttpClient end the stream
    // with the last DATA frame instead of sending an extra empty one.
    protected override bool TryComputeLength(out long length)
    {
        length = _frame?.Memory.Length ?? -1;
        return length >= 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Interlocked.Exchange(ref _frame, null)?.Dispose();
        }

        base.Dispose(disposing);
    }
}
