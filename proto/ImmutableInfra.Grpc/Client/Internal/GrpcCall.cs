using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace ImmutableInfra.Grpc.Internal;

/// <summary>
/// One client call over one HTTP/2 stream: sends the request, reads headers, messages and
/// trailers, and turns every way a call can end into exactly one <see cref="Status"/>.
/// </summary>
internal sealed class GrpcCall<TRequest, TResponse> : ICallState
{
    private const int NotCancelled = 0;
    private const int CancelledByCaller = 1;
    private const int DeadlineReached = 2;

    private static readonly TimeSpan WriteFailureStatusWait = TimeSpan.FromSeconds(5);
    private const string UserAgent = "immutableinfra-grpc/1.0";

    private readonly CallOptions _options;
    private readonly CancellationTokenSource _callCts = new();
    private readonly TaskCompletionSource<Metadata> _headers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private CancellationTokenRegistration _callerRegistration;
    private ITimer? _deadlineTimer;
    private Task<HttpResponseMessage>? _send;
    private Task<bool>? _responseStart;
    private HttpResponseMessage? _response;
    private HttpRequestMessage? _request;
    private MessageFrameReader? _reader;
    private StreamingRequestContent? _streamingContent;
    private Status? _status;
    private Metadata? _trailers;
    private int _cancelReason;
    private CancellationToken _transportToken;

    public GrpcCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        ArgumentNullException.ThrowIfNull(method);
        Channel = channel;
        Method = method;
        _options = options;
    }

    public GrpcChannel Channel { get; }

    public Method<TRequest, TResponse> Method { get; }

    public CancellationToken CallToken => _callCts.Token;

    public Task<Metadata> ResponseHeadersAsync
    {
        get
        {
            // Awaiting the headers alone (duplex before any read) must still drive the response.
            ObserveFailure(EnsureResponseStartedAsync());
            return _headers.Task;
        }
    }

    public void StartUnary(TRequest request)
    {
        // A unary call nobody can cancel and without a deadline needs no cancellation plumbing in
        // HttpClient (a registration per send and per read); Dispose still aborts via the response.
        _transportToken = Method.Type == MethodType.Unary && !_options.CancellationToken.CanBeCanceled && _options.Deadline is null
            ? CancellationToken.None
            : _callCts.Token;
        if (!Prepare())
        {
            return;
        }

        FramedMessage frame;
        try
        {
            frame = MessageFrameWriter.Frame(request, Method.RequestMarshaller, Channel.Options.MaxSendMessageSize, Channel.Options.SendCompression);
        }
        catch (RpcException ex)
        {
            Finish(ex.Status, new Metadata());
            return;
        }

        Send(new UnaryRequestContent(frame));
    }

    public IClientStreamWriter<TRequest> StartStreaming()
    {
        _transportToken = _callCts.Token;
        _streamingContent = new StreamingRequestContent();
        var writer = new ClientRequestStream<TRequest, TResponse>(this, _streamingContent);
        if (Prepare())
        {
            Send(_streamingContent);
        }
        else
        {
            _streamingContent.Abort(new RpcException(GetStatus()));
        }

        return writer;
    }

    public async Task<TResponse> ReadSingleResponseAsync()
    {
        try
        {
            if (!await EnsureResponseStartedAsync().ConfigureAwait(false))
            {
                throw new RpcException(new Status(StatusCode.Internal, "The server ended the call without a response message."));
            }

            var payload = await _reader!.ReadMessageAsync(_transportToken).ConfigureAwait(false);
            if (payload is null)
            {
                ThrowIfNotOk(ReadTrailers());
                throw new RpcException(new Status(StatusCode.Internal, "The server ended the call without a response message."));
            }

            var response = Method.ResponseMarshaller.Deserialize(payload.Value);
            if (await _reader.ReadMessageAsync(_transportToken).ConfigureAwait(false) is not null)
            {
                throw new RpcException(new Status(StatusCode.Internal, "The server sent more than one response message to a single-response call."));
            }

            ThrowIfNotOk(ReadTrailers());
            return response;
        }
        catch (Exception ex)
        {
            throw ToRpcException(ex);
        }
    }

    public async Task<(bool HasMessage, TResponse? Message)> ReadNextResponseAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((GrpcCall<TRequest, TResponse>)state!).Cancel(CancelledByCaller), this)
            : default;
        try
        {
            if (!await EnsureResponseStartedAsync().ConfigureAwait(false))
            {
                return (false, default);
            }

            var payload = await _reader!.ReadMessageAsync(_transportToken).ConfigureAwait(false);
            if (payload is null)
            {
                ThrowIfNotOk(ReadTrailers());
                return (false, default);
            }

            return (true, Method.ResponseMarshaller.Deserialize(payload.Value));
        }
        catch (Exception ex)
        {
            throw ToRpcException(ex);
        }
    }

    public Status GetStatus()
    {
        lock (_gate)
        {
            return _status ?? throw new InvalidOperationException("The call has not finished yet.");
        }
    }

    public Metadata GetTrailers()
    {
        lock (_gate)
        {
            return _trailers ?? throw new InvalidOperationException("The call has not finished yet.");
        }
    }

    public void ThrowIfFinished()
    {
        lock (_gate)
        {
            if (_status is { } status)
            {
                throw new RpcException(status.StatusCode == StatusCode.OK ? new Status(StatusCode.Internal, "The call already finished.") : status, _trailers!);
            }
        }
    }

    /// <summary>Finishes the call for a failure and returns the exception to throw.</summary>
    public RpcException ToRpcException(Exception exception)
    {
        Status status;
        var reason = Volatile.Read(ref _cancelReason);
        if (exception is RpcException rpc && _status is null)
        {
            status = rpc.Status;
        }
        else if (reason == DeadlineReached)
        {
            status = new Status(StatusCode.DeadlineExceeded, "Deadline exceeded.");
        }
        else if (reason == CancelledByCaller)
        {
            status = new Status(StatusCode.Cancelled, "Call cancelled by the client.");
        }
        else
        {
            status = StatusMapping.FromException(exception);
        }

        Finish(status, (exception as RpcException)?.Trailers ?? new Metadata());
        lock (_gate)
        {
            return exception is RpcException existing && existing.Status == _status && ReferenceEquals(existing.Trailers, _trailers)
                ? existing
                : new RpcException(_status!.Value, _trailers!);
        }
    }

    /// <summary>
    /// A failed write usually means the server already answered (for example RESOURCE_EXHAUSTED);
    /// the status in its response is the truth, so wait (bounded) for it before reporting.
    /// </summary>
    public async Task<RpcException> ToWriteFailureAsync(Exception exception)
    {
        if (Volatile.Read(ref _cancelReason) == NotCancelled && _send is not null)
        {
            try
            {
                await EnsureResponseStartedAsync().WaitAsync(WriteFailureStatusWait, _callCts.Token).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Any outcome is fine here: only a status the call may now hold matters.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        lock (_gate)
        {
            if (_status is { } status)
            {
                return new RpcException(status, _trailers!);
            }
        }

        // The status will arrive with the response trailers; the reader reports it.
        return new RpcException(StatusMapping.FromException(exception), exception);
    }

    public void Dispose()
    {
        bool finished;
        lock (_gate)
        {
            finished = _status is not null;
        }

        if (!finished)
        {
            Cancel(CancelledByCaller);
            Finish(new Status(StatusCode.Cancelled, "Call disposed."), new Metadata());
        }
    }

    private bool Prepare()
    {
        if (_options.CancellationToken.IsCancellationRequested)
        {
            Finish(new Status(StatusCode.Cancelled, "Call cancelled by the client."), new Metadata());
            return false;
        }

        if (_options.Deadline is { } deadline)
        {
            var remaining = deadline - Channel.Options.TimeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                Finish(new Status(StatusCode.DeadlineExceeded, "Deadline exceeded before the call started."), new Metadata());
                return false;
            }

            if (Channel.Options.EnforceDeadlinesLocally)
            {
                _deadlineTimer = Channel.Options.TimeProvider.CreateTimer(
                    static state => ((GrpcCall<TRequest, TResponse>)state!).Cancel(DeadlineReached), this, remaining, Timeout.InfiniteTimeSpan);
            }
        }

        if (_options.CancellationToken.CanBeCanceled)
        {
            _callerRegistration = _options.CancellationToken.UnsafeRegister(
                static state => ((GrpcCall<TRequest, TResponse>)state!).Cancel(CancelledByCaller), this);
        }

        return true;
    }

    private void Send(HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Channel.CreateRequestUri(Method.FullName))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };

        var headers = request.Headers;
        headers.TryAddWithoutValidation("te", "trailers");
        headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (Channel.Options.SendCompression is { } compression)
        {
            // Compressed responses are only invited by a channel that compresses itself: on a fast
            // link gzip costs more CPU than it saves, and every header is per-call work on both sides.
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, compression);
            headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, MessageCompression.AcceptEncodingValue);
        }

        if (_options.Deadline is { } deadline)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(deadline - Channel.Options.TimeProvider.GetUtcNow()));
        }

        if (_options.Headers is { } metadata)
        {
            foreach (var entry in metadata)
            {
                headers.TryAddWithoutValidation(entry.Key, entry.ToWireValue());
            }
        }

        _request = request;
        _send = Channel.Invoker.SendAsync(request, _transportToken);
        if (_streamingContent is not null)
        {
            // Writers wait for HttpClient to ask for the body. A request that fails before asking
            // (nothing listening, a refused stream during a server's shutdown) never will; nor may a
            // request whose response already ended the stream (a trailers-only status such as
            // UNIMPLEMENTED). A duplex caller that writes before it reads would wait forever, so the
            // response is taken as soon as it arrives: its status, if final, releases the writers.
            _send.ContinueWith(
                static (send, state) => ((GrpcCall<TRequest, TResponse>)state!).OnStreamingSendCompleted(send),
                this,
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
        }
    }

    private void OnStreamingSendCompleted(Task<HttpResponseMessage> send)
    {
        if (!send.IsCompletedSuccessfully)
        {
            _streamingContent!.FailIfNotStarted(send.Exception?.InnerException ?? new OperationCanceledException());
            return;
        }

        ObserveFailure(EnsureResponseStartedAsync());
    }

    // A response start nobody else awaits yet must not surface as an unobserved task exception.
    private static void ObserveFailure(Task started)
    {
        if (!started.IsCompleted)
        {
            started.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        else if (started.IsFaulted)
        {
            _ = started.Exception;
        }
    }

    private Task<bool> EnsureResponseStartedAsync()
    {
        lock (_gate)
        {
            if (_responseStart is null)
            {
                _responseStart = _send is null ? FinishedBeforeStartAsync() : StartResponseGuardedAsync(_send);
            }

            return _responseStart;
        }
    }

    private Task<bool> FinishedBeforeStartAsync()
    {
        var status = GetStatus();
        return Task.FromException<bool>(new RpcException(status, GetTrailers()));
    }

    // Reads the response headers; false for a trailers-only response that ended the call with OK.
    private async Task<bool> StartResponseGuardedAsync(Task<HttpResponseMessage> send)
    {
        try
        {
            var response = await send.ConfigureAwait(false);
            lock (_gate)
            {
                _response = response;
            }

            // A call disposed while the request was in flight discards the response (and resets the stream).
            ThrowIfFinished();
            return await StartResponseAsync(response).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw ToRpcException(ex);
        }
    }

    private ValueTask<bool> StartResponseAsync(HttpResponseMessage response)
    {
        var headerMetadata = ReadMetadata(response.Headers);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var status = TryReadStatus(response.Headers)
                ?? new Status(StatusMapping.FromHttpStatus(response.StatusCode), $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}");
            _headers.TrySetResult(headerMetadata);
            Finish(status, headerMetadata);
            ThrowIfNotOk(status);
        }

        if (TryReadStatus(response.Headers) is { } trailersOnly)
        {
            _headers.TrySetResult(headerMetadata);
            Finish(trailersOnly, headerMetadata);
            ThrowIfNotOk(trailersOnly);
            return ValueTask.FromResult(false);
        }

        var contentType = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var contentTypes) ? contentTypes.ToString() : null;
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            throw new RpcException(new Status(StatusCode.Unknown, $"Bad gRPC response. Invalid content-type value: {contentType}"));
        }

        string? encoding = null;
        if (response.Headers.NonValidated.TryGetValues(GrpcProtocol.EncodingHeader, out var encodings))
        {
            encoding = encodings.ToString();
            if (!MessageCompression.IsSupported(encoding))
            {
                throw new RpcException(new Status(StatusCode.Internal, $"The server used an unsupported grpc-encoding '{encoding}'."));
            }
        }

        _headers.TrySetResult(headerMetadata);
        // SocketsHttpHandler hands out the response stream synchronously; no await needed.
        var body = response.Content.ReadAsStream(_transportToken);
        _reader = new MessageFrameReader(body, Channel.Options.MaxReceiveMessageSize, encoding);
        return ValueTask.FromResult(true);
    }

    private Status ReadTrailers()
    {
        var response = _response!;
        var status = TryReadStatus(response.TrailingHeaders)
            ?? new Status(StatusCode.Unknown, "The server sent no grpc-status.");
        Finish(status, ReadMetadata(response.TrailingHeaders));
        return status;
    }

    private static void ThrowIfNotOk(Status status)
    {
        if (status.StatusCode != StatusCode.OK)
        {
            throw new RpcException(status);
        }
    }

    private static Status? TryReadStatus(HttpHeaders headers)
    {
        var nonValidated = headers.NonValidated;
        if (!nonValidated.TryGetValues(GrpcProtocol.StatusHeader, out var values))
        {
            return null;
        }

        var text = values.ToString();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            return new Status(StatusCode.Unknown, $"Unparseable grpc-status '{text}'.");
        }

        var detail = nonValidated.TryGetValues(GrpcProtocol.MessageHeader, out var messages)
            ? GrpcStatusMessage.Decode(messages.ToString())
            : string.Empty;
        return new Status((StatusCode)code, detail);
    }

    private static Metadata ReadMetadata(HttpHeaders headers)
    {
        var metadata = new Metadata();
        foreach (var header in headers.NonValidated)
        {
            if (GrpcProtocol.IsReservedHeader(header.Key))
            {
                continue;
            }

            foreach (var value in header.Value)
            {
                try
                {
                    metadata.Add(MetadataEntry.FromWire(header.Key, value));
                }
                catch (FormatException)
                {
                    // A -bin value that is not base64 is dropped, as other implementations do.
                }
            }
        }

        return metadata;
    }

    private void Cancel(int reason)
    {
        if (Interlocked.CompareExchange(ref _cancelReason, reason, NotCancelled) != NotCancelled)
        {
            return;
        }

        AbortTransport();
    }

    // Cancelling the send token and disposing the response resets the HTTP/2 stream (RST_STREAM CANCEL).
    private void AbortTransport()
    {
        try
        {
            _callCts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call already ended.
        }

        HttpResponseMessage? response;
        lock (_gate)
        {
            response = _response;
        }

        response?.Dispose();
    }

    private void Finish(Status status, Metadata trailers)
    {
        lock (_gate)
        {
            if (_status is not null)
            {
                return;
            }

            _status = status;
            _trailers = trailers;
        }

        _deadlineTimer?.Dispose();
        _callerRegistration.Dispose();
        if (!_headers.Task.IsCompleted || _streamingContent is not null)
        {
            var failure = new RpcException(status, trailers);
            _headers.TrySetException(failure);
            _streamingContent?.Abort(failure);
        }
        if (status.StatusCode != StatusCode.OK)
        {
            AbortTransport();
        }
        else
        {
            _reader?.Dispose();
            _response?.Dispose();

            // Returns the pooled request frame: a call that ended OK has sent its whole body. A failed
            // call may still be sending, so its frame is left to the GC rather than reused under a writer.
            _request?.Dispose();
        }
    }
}
