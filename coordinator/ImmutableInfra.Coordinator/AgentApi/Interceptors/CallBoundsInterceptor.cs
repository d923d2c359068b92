using Grpc.Core;
using Grpc.Core.Interceptors;
using ImmutableInfra.Coordinator.Hosting;

namespace ImmutableInfra.Coordinator.AgentApi.Interceptors;

/// <summary>
/// Server-side time bounds grpc-dotnet does not set itself: a unary call ends after <see cref="AgentApiLimits.UnaryDeadline"/>
/// whatever the client's deadline (or none), and a stream that does not send its first message within
/// <see cref="AgentApiLimits.SyncFirstMessageDeadline"/> is ended, so idle half-open calls cannot pile up.
/// </summary>
internal sealed class CallBoundsInterceptor(AgentApiLimits limits, TimeProvider time) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        using var bounded = new DeadlineBoundContext(context, limits.UnaryDeadline, time);
        try
        {
            return await continuation(request, bounded).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled } && bounded.Expired)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"{context.Method} ran past the server's deadline of {limits.UnaryDeadline.TotalSeconds:0.#}s"));
        }
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(new FirstMessageDeadlineReader<TRequest>(requestStream, limits.SyncFirstMessageDeadline, time), responseStream, context);

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        continuation(new FirstMessageDeadlineReader<TRequest>(requestStream, limits.SyncFirstMessageDeadline, time), context);

    /// <summary>Waits for the first message no longer than the deadline; later messages are unbounded (a stream lives for days).</summary>
    private sealed class FirstMessageDeadlineReader<T>(IAsyncStreamReader<T> inner, TimeSpan deadline, TimeProvider time) : IAsyncStreamReader<T>
    {
        private bool _first = true;

        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            if (!_first)
            {
                return await inner.MoveNext(cancellationToken).ConfigureAwait(false);
            }

            _first = false;
            using var timer = new CancellationTokenSource(deadline, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
            try
            {
                return await inner.MoveNext(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"no first message within {deadline.TotalSeconds:0.#}s"));
            }
        }
    }

    /// <summary>The call's context with a cancellation token (and deadline) that ends no later than the server's bound.</summary>
    private sealed class DeadlineBoundContext : ServerCallContext, IDisposable
    {
        private readonly ServerCallContext _inner;
        private readonly CancellationTokenSource _timer;
        private readonly CancellationTokenSource _linked;
        private readonly DateTime _deadline;

        public DeadlineBoundContext(ServerCallContext inner, TimeSpan bound, TimeProvider time)
        {
            _inner = inner;
            _timer = new CancellationTokenSource(bound, time);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(inner.CancellationToken, _timer.Token);
            var serverDeadline = time.GetUtcNow().UtcDateTime + bound;
            _deadline = inner.Deadline < serverDeadline ? inner.Deadline : serverDeadline;
        }

        public bool Expired => _timer.IsCancellationRequested && !_inner.CancellationToken.IsCancellationRequested;

        protected override string MethodCore => _inner.Method;

        protected override string HostCore => _inner.Host;

        protected override string PeerCore => _inner.Peer;

        protected override DateTime DeadlineCore => _deadline;

        protected override Metadata RequestHeadersCore => _inner.RequestHeaders;

        protected override CancellationToken CancellationTokenCore => _linked.Token;

        protected override Metadata ResponseTrailersCore => _inner.ResponseTrailers;

        protected override Status StatusCore
        {
            get => _inner.Status;
            set => _inner.Status = value;
        }

        protected override WriteOptions? WriteOptionsCore
        {
            get => _inner.WriteOptions;
            set => _inner.WriteOptions = value;
        }

        protected override AuthContext AuthContextCore => _inner.AuthContext;

        protected override IDictionary<object, object> UserStateCore => _inner.UserState;

        public void Dispose()
        {
            _linked.Dispose();
            _timer.Dispose();
        }

        protected override ContextPropagationToken CreatePropagationTokenCore(ContextPropagationOptions? options) => _inner.CreatePropagationToken(options);

        protected override Task WriteResponseHeadersAsyncCore(Metadata responseHeaders) => _inner.WriteResponseHeadersAsync(responseHeaders);
    }
}
