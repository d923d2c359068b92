using Google.Protobuf;
using Google.Protobuf.Reflection;
using ImmutableInfra.Grpc.Internal;

namespace ImmutableInfra.Grpc;

/// <summary>Binds handlers to the methods a Google.Protobuf <see cref="ServiceDescriptor"/> declares, checking names, kinds and types.</summary>
public sealed class ServerServiceDefinitionBuilder
{
    private readonly ServiceDescriptor _service;
    private readonly Dictionary<string, ServerMethod> _bound = new(StringComparer.Ordinal);

    internal ServerServiceDefinitionBuilder(ServiceDescriptor service)
    {
        ArgumentNullException.ThrowIfNull(service);
        _service = service;
    }

    /// <summary>Binds a unary method.</summary>
    public ServerServiceDefinitionBuilder AddUnary<TRequest, TResponse>(string methodName, UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        var method = Resolve<TRequest, TResponse>(methodName, MethodType.Unary);
        return Bind(method, (transport, context) => ServerCallHandlers.UnaryAsync(method, handler, transport, context));
    }

    /// <summary>Binds a client-streaming method.</summary>
    public ServerServiceDefinitionBuilder AddClientStreaming<TRequest, TResponse>(string methodName, ClientStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        var method = Resolve<TRequest, TResponse>(methodName, MethodType.ClientStreaming);
        return Bind(method, (transport, context) => ServerCallHandlers.ClientStreamingAsync(method, handler, transport, context));
    }

    /// <summary>Binds a server-streaming method.</summary>
    public ServerServiceDefinitionBuilder AddServerStreaming<TRequest, TResponse>(string methodName, ServerStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        var method = Resolve<TRequest, TResponse>(methodName, MethodType.ServerStreaming);
        return Bind(method, (transport, context) => ServerCallHandlers.ServerStreamingAsync(method, handler, transport, context));
    }

    /// <summary>Binds a duplex-streaming method.</summary>
    public ServerServiceDefinitionBuilder AddDuplexStreaming<TRequest, TResponse>(string methodName, DuplexStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(handler);
        var method = Resolve<TRequest, TResponse>(methodName, MethodType.DuplexStreaming);
        return Bind(method, (transport, context) => ServerCallHandlers.DuplexStreamingAsync(method, handler, transport, context));
    }

    /// <summary>The definition: every declared method, those without a handler answering UNIMPLEMENTED.</summary>
    public ServerServiceDefinition Build()
    {
        var methods = new List<ServerMethod>(_service.Methods.Count);
        foreach (var descriptor in _service.Methods)
        {
            methods.Add(_bound.TryGetValue(descriptor.Name, out var bound)
                ? bound
                : new ServerMethod(_service.FullName, descriptor.Name, ProtobufMethod.TypeOf(descriptor), ServerCallHandlers.UnimplementedAsync));
        }

        return new ServerServiceDefinition(_service.FullName, methods);
    }

    private Method<TRequest, TResponse> Resolve<TRequest, TResponse>(string methodName, MethodType expected)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentException.ThrowIfNullOrEmpty(methodName);
        var descriptor = _service.FindMethodByName(methodName)
            ?? throw new ArgumentException($"Service {_service.FullName} declares no method '{methodName}'.", nameof(methodName));
        var method = ProtobufMethod.Create<TRequest, TResponse>(descriptor);
        if (method.Type != expected)
        {
            throw new ArgumentException($"Method {method.FullName} is {method.Type}, not {expected}.", nameof(methodName));
        }

        return method;
    }

    private ServerServiceDefinitionBuilder Bind<TRequest, TResponse>(Method<TRequest, TResponse> method, Func<IServerCallTransport, ServerCallContext, Task> invoker)
    {
        if (!_bound.TryAdd(method.Name, new ServerMethod(method.ServiceName, method.Name, method.Type, invoker)))
        {
            throw new ArgumentException($"Method {method.FullName} is already bound.", nameof(method));
        }

        return this;
    }
}
