using ImmutableInfra.Grpc.Internal;

namespace ImmutableInfra.Grpc;

/// <summary>A running server-streaming call.</summary>
public sealed class AsyncServerStreamingCall<TResponse> : IDisposable
{
    private readonly ICallState _state;

    internal AsyncServerStreamingCall(IAsyncStreamReader<TResponse> responseStream, ICallState state)
    {
        ResponseStream = responseStream;
        _state = state;
    }

    /// <summary>The responses; MoveNext throws <see cref="RpcException"/> when the call fails.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <summary>The response headers (metadata) the server sent.</summary>
    public Task<Metadata> ResponseHeadersAsync => _state.ResponseHeadersAsync;

    /// <summary>The final status; only once the call has finished.</summary>
    public Status GetStatus() => _state.GetStatus();

    /// <summary>The trailers; only once the call has finished.</summary>
    public Metadata GetTrailers() => _state.GetTrailers();

    /// <summary>Cancels the call if it is still running and releases its resources.</summary>
    public void Dispose() => _state.Dispose();
}
