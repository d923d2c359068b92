using System.Runtime.CompilerServices;
using ImmutableInfra.Grpc.Internal;

namespace ImmutableInfra.Grpc;

/// <summary>A running unary call; await it for the response.</summary>
public sealed class AsyncUnaryCall<TResponse> : IDisposable
{
    private readonly ICallState _state;

    internal AsyncUnaryCall(Task<TResponse> responseAsync, ICallState state)
    {
        ResponseAsync = responseAsync;
        _state = state;
    }

    /// <summary>The response, or an <see cref="RpcException"/> with the call's status.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The response headers (metadata) the server sent.</summary>
    public Task<Metadata> ResponseHeadersAsync => _state.ResponseHeadersAsync;

    /// <summary>Lets the call be awaited directly.</summary>
    public TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    /// <summary>The final status; only once the call has finished.</summary>
    public Status GetStatus() => _state.GetStatus();

    /// <summary>The trailers; only once the call has finished.</summary>
    public Metadata GetTrailers() => _state.GetTrailers();

    /// <summary>Cancels the call if it is still running and releases its resources.</summary>
    public void Dispose() => _state.Dispose();
}
