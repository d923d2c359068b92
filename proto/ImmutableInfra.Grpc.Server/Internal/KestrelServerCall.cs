using System.Buffers;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Grpc.Server.Internal;

/// <summary>
/// One server call on Kestrel: reads request frames, writes response frames under a lock, and
/// ends with exactly one status (trailers, or trailers-only headers when nothing was sent),
/// including when the deadline passes while the handler still runs.
/// </summary>
internal sealed class KestrelServerCall : IServerCallTransport, IDisposable
{
    private readonly HttpContext _http;
    private readonly GrpcServerOptions _options;
    private readonly ILogger _logger;
    private readonly string? _requestEncoding;
    private readonly string? _responseEncoding;
    private readonly CancellationTokenSource? _cts;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly KestrelServerCallContext _context;
    private ITimer? _deadlineTimer;
    private Task _deadlineFinish = Task.CompletedTask;
    private MessageFrameReader? _reader;
    private bool _responseStarted;
    private bool _finished;
    private int _deadlineExceeded;

    public KestrelServerCall(HttpContext http, ServerMethod method, GrpcServerOptions options, ILogger logger, string? requestEncoding, TimeSpan? timeout)
    {
        _http = http;
        Method = method;
        _options = options;
        _logger = logger;
        _requestEncoding = requestEncoding;
        _responseEncoding = options.ResponseCompression is { } compression
            && MessageCompression.Accepts(http.Request.Headers[GrpcProtocol.AcceptEncodingHeader].ToString(), compression)
            ? compression
            : null;
        // Without a deadline the connection's abort token is the call's token: no linked source per call.
        Deadline = timeout is { } t ? options.TimeProvider.GetUtcNow() + t : DateTimeOffset.MaxValue;
        if (timeout is { } remaining)
        {
            _cts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            _deadlineTimer = options.TimeProvider.CreateTimer(static state => ((KestrelServerCall)state!).OnDeadline(), this, remaining, Timeout.InfiniteTimeSpan);
        }

        _context = new KestrelServerCallContext(this);
    }

    public ServerMethod Method { get; }

    public DateTimeOffset Deadline { get; }

    public CancellationToken CancellationToken => _cts?.Token ?? _http.RequestAborted;

    public string Peer => GrpcPeer.Format(_http.Connection.RemoteIpAddress, _http.Connection.RemotePort);

    public X509Certificate2? ClientCertificate => _http.Connection.ClientCertificate;

    public async Task RunAsync()
    {
        Exception? failure = null;
        try
        {
            await Method.InvokeAsync(this, _context).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Every handler failure must become a gRPC status; nothing may escape to Kestrel.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }

        try
        {
            var (status, trailers) = ToStatus(failure);
            await FinishAsync(status, trailers, complete: false).ConfigureAwait(false);
            await _deadlineFinish.ConfigureAwait(false);
        }
        finally
        {
            Dispose();
        }
    }

    public void Dispose()
    {
        _deadlineTimer?.Dispose();
        _cts?.Dispose();
        _reader?.Dispose();
        _writeLock.Dispose();
    }

    public ValueTask<ReadOnlyMemory<byte>?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        _reader ??= new MessageFrameReader(_http.Request.Body, _options.MaxReceiveMessageSize, _requestEncoding);
        return _reader.ReadMessageAsync(cancellationToken);
    }

    public async Task WriteMessageAsync<T>(T message, Marshaller<T> marshaller, bool flush, CancellationToken cancellationToken)
    {
        using var frame = MessageFrameWriter.Frame(message, marshaller, _options.MaxSendMessageSize, _responseEncoding);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfFinished();
            StartResponse();
            var writer = _http.Response.BodyWriter;
            if (flush)
            {
                await writer.WriteAsync(frame.Memory, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                writer.Write(frame.Memory.Span);
            }
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task WriteResponseHeadersAsync(Metadata responseHeaders)
    {
        ArgumentNullException.ThrowIfNull(responseHeaders);
        await _writeLock.WaitAsync(CancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfFinished();
            if (_responseStarted)
            {
                throw new InvalidOperationException("Response headers were already sent.");
            }

            foreach (var entry in responseHeaders)
            {
                _http.Response.Headers.Append(entry.Key, entry.ToWireValue());
            }

            StartResponse();
            await _http.Response.BodyWriter.FlushAsync(CancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Metadata ReadRequestHeaders()
    {
        var metadata = new Metadata();
        foreach (var header in _http.Request.Headers)
        {
            if (GrpcProtocol.IsReservedHeader(header.Key))
            {
                continue;
            }

            foreach (var value in header.Value)
            {
                if (value is null)
                {
                    continue;
                }

                try
                {
                    metadata.Add(MetadataEntry.FromWire(header.Key, value));
                }
                catch (FormatException)
                {
                    // A -bin value that is not base64 is dropped rather than failing the call.
                }
            }
        }

        return metadata;
    }

    private void OnDeadline()
    {
        Interlocked.Exchange(ref _deadlineExceeded, 1);
        GrpcServerLog.DeadlineExceeded(_logger, Method.FullName);
        try
        {
            _cts!.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        // The client gets its status now, even if the handler is slow to observe cancellation.
        _deadlineFinish = FinishAsync(new Status(StatusCode.DeadlineExceeded, "Deadline exceeded."), extraTrailers: null, complete: true);
    }

    private (Status Status, Metadata? Trailers) ToStatus(Exception? failure)
    {
        if (failure is null)
        {
            return (_context.Status, null);
        }

        if (Volatile.Read(ref _deadlineExceeded) == 1)
        {
            return (new Status(StatusCode.DeadlineExceeded, "Deadline exceeded."), null);
        }

        if (_http.RequestAborted.IsCancellationRequested)
        {
            GrpcServerLog.CallCancelled(_logger, Method.FullName);
            return (new Status(StatusCode.Cancelled, "Call cancelled by the client."), null);
        }

        if (failure is RpcException rpc)
        {
            GrpcServerLog.CallFailed(_logger, Method.FullName, rpc.StatusCode);
            return (rpc.Status, rpc.Trailers);
        }

        var code = failure is OperationCanceledException ? StatusCode.Cancelled : StatusCode.Unknown;
        GrpcServerLog.HandlerFailed(_logger, Method.FullName, code, failure);
        var detail = _options.EnableDetailedErrors
            ? $"Exception was thrown by handler. {failure.GetType().Name}: {failure.Message}"
            : "Exception was thrown by handler.";
        return (new Status(code, detail), null);
    }

    private async Task FinishAsync(Status status, Metadata? extraTrailers, bool complete)
    {
        try
        {
            await _writeLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // A deadline that fires after the call was disposed has nothing left to do.
            return;
        }

        try
        {
            if (_finished)
            {
                return;
            }

            _finished = true;
            if (_http.RequestAborted.IsCancellationRequested)
            {
                return;
            }

            var response = _http.Response;
            var code = ((int)status.StatusCode).ToString(CultureInfo.InvariantCulture);
            if (!_responseStarted && !response.HasStarted)
            {
                // Trailers-only: the status travels in the one HEADERS frame that ends the stream.
                response.ContentType = GrpcProtocol.ContentType;
                response.Headers[GrpcProtocol.StatusHeader] = code;
                if (status.Detail.Length > 0)
                {
                    response.Headers[GrpcProtocol.MessageHeader] = GrpcStatusMessage.Encode(status.Detail);
                }

                AppendMetadata(response.Headers, HandlerTrailers, extraTrailers);
            }
            else
            {
                response.AppendTrailer(GrpcProtocol.StatusHeader, code);
                if (status.Detail.Length > 0)
                {
                    response.AppendTrailer(GrpcProtocol.MessageHeader, GrpcStatusMessage.Encode(status.Detail));
                }

                if (HandlerTrailers is not null || extraTrailers is not null)
                {
                    foreach (var entry in Concat(HandlerTrailers, extraTrailers))
                    {
                        response.AppendTrailer(entry.Key, entry.ToWireValue());
                    }
                }
            }

            if (complete)
            {
                await response.CompleteAsync().ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // The peer may vanish while the status is written; there is nobody left to tell.
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
#pragma warning restore CA1031
        {
            GrpcServerLog.CallCancelled(_logger, Method.FullName);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private Metadata? HandlerTrailers => _context.HasResponseTrailers ? _context.ResponseTrailers : null;

    private static void AppendMetadata(IHeaderDictionary headers, Metadata? trailers, Metadata? extra)
    {
        foreach (var entry in Concat(trailers, extra))
        {
            headers.Append(entry.Key, entry.ToWireValue());
        }
    }

    private static IEnumerable<MetadataEntry> Concat(Metadata? first, Metadata? second)
    {
        if (first is not null)
        {
            foreach (var entry in first)
            {
                yield return entry;
            }
        }

        if (second is not null)
        {
            foreach (var entry in second)
            {
                yield return entry;
            }
        }
    }

    private void StartResponse()
    {
        if (_responseStarted)
        {
            return;
        }

        _responseStarted = true;
        var response = _http.Response;
        response.ContentType = GrpcProtocol.ContentType;
        if (_responseEncoding is not null || _requestEncoding is not null)
        {
            var headers = response.Headers;
            headers[GrpcProtocol.AcceptEncodingHeader] = MessageCompression.AcceptEncodingValue;
            if (_responseEncoding is not null)
            {
                headers[GrpcProtocol.EncodingHeader] = _responseEncoding;
            }
        }
    }

    private void ThrowIfFinished()
    {
        if (_finished)
        {
            throw new RpcException(Volatile.Read(ref _deadlineExceeded) == 1
                ? new Status(StatusCode.DeadlineExceeded, "Deadline exceeded.")
                : new Status(StatusCode.Cancelled, "The call has already finished."));
        }
    }
}
