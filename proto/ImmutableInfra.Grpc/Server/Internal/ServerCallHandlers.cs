namespace ImmutableInfra.Grpc.Internal;

/// <summary>Adapts the four handler shapes to a message transport: read requests, run the handler, write responses.</summary>
internal static class ServerCallHandlers
{
    public static Task UnimplementedAsync(IServerCallTransport transport, ServerCallContext context) =>
        throw new RpcException(new Status(StatusCode.Unimplemented, $"Method {context.Method} is not implemented."));

    public static async Task UnaryAsync<TRequest, TResponse>(
        Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler, IServerCallTransport transport, ServerCallContext context)
    {
        var request = await ReadSingleAsync(method.RequestMarshaller, transport, context.CancellationToken).ConfigureAwait(false);
        var response = await handler(request, context).ConfigureAwait(false);
        await transport.WriteMessageAsync(response, method.ResponseMarshaller, flush: false, context.CancellationToken).ConfigureAwait(false);
    }

    public static async Task ClientStreamingAsync<TRequest, TResponse>(
        Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler, IServerCallTransport transport, ServerCallContext context)
    {
        var requests = new ServerRequestStream<TRequest>(transport, method.RequestMarshaller, context.CancellationToken);
        var response = await handler(requests, context).ConfigureAwait(false);
        await transport.WriteMessageAsync(response, method.ResponseMarshaller, flush: false, context.CancellationToken).ConfigureAwait(false);
    }

    public static async Task ServerStreamingAsync<TRequest, TResponse>(
        Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler, IServerCallTransport transport, ServerCallContext context)
    {
        var request = await ReadSingleAsync(method.RequestMarshaller, transport, context.CancellationToken).ConfigureAwait(false);
        var responses = new ServerResponseStream<TResponse>(transport, method.ResponseMarshaller, context.CancellationToken);
        await handler(request, responses, context).ConfigureAwait(false);
    }

    public static async Task DuplexStreamingAsync<TRequest, TResponse>(
        Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler, IServerCallTransport transport, ServerCallContext context)
    {
        var requests = new ServerRequestStream<TRequest>(transport, method.RequestMarshaller, context.CancellationToken);
        var responses = new ServerResponseStream<TResponse>(transport, method.ResponseMarshaller, context.CancellationToken);
        await handler(requests, responses, context).ConfigureAwait(false);
    }

    private static async Task<TRequest> ReadSingleAsync<TRequest>(Marshaller<TRequest> marshaller, IServerCallTransport transport, CancellationToken cancellationToken)
    {
        var payload = await transport.ReadMessageAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(new Status(StatusCode.Internal, "The request stream ended without a message."));
        var request = marshaller.Deserialize(payload);
        if (await transport.ReadMessageAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new RpcException(new Status(StatusCode.Internal, "More than one request message for a single-request method."));
        }

        return request;
    }
}
