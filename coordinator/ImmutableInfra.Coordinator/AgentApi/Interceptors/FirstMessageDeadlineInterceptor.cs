using Grpc.Core;
using Grpc.Core.Interceptors;
using ImmutableInfra.Coordinator.Hosting;

namespace ImmutableInfra.Coordinator.AgentApi.Interceptors;

/// <summary>
/// A stream that does not send its first message within <see cref="AgentApiLimits.SyncFirstMessageDeadline"/> is
/// ended with DEADLINE_EXCEEDED, so idle half-open streams cannot pile up (grpc-dotnet lifts Kestrel's minimum body
/// data rate for streaming calls). Unary calls are bounded by <see cref="UnaryDeadlineMiddleware"/>.
/// </summary>
internal sealed class FirstMessageDeadlineInterceptor(AgentApiLimits limits, TimeProvider time) : Interceptor
{
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
}
