namespace ImmutableInfra.Grpc;

/// <summary>One routable method of a service: its path, its kind and the adapter that runs its handler.</summary>
public sealed class ServerMethod
{
    private readonly Func<IServerCallTransport, ServerCallContext, Task> _invoker;

    internal ServerMethod(string serviceName, string name, MethodType type, Func<IServerCallTransport, ServerCallContext, Task> invoker)
    {
        ServiceName = serviceName;
        Name = name;
        Type = type;
        FullName = $"/{serviceName}/{name}";
        _invoker = invoker;
    }

    /// <summary>The fully qualified service name.</summary>
    public string ServiceName { get; }

    /// <summary>The method name.</summary>
    public string Name { get; }

    /// <summary>The HTTP/2 path, /{ServiceName}/{Name}.</summary>
    public string FullName { get; }

    /// <summary>The kind of call.</summary>
    public MethodType Type { get; }

    /// <summary>Runs the handler over <paramref name="transport"/>; a failed call surfaces as an exception (RpcException for a status).</summary>
    public Task InvokeAsync(IServerCallTransport transport, ServerCallContext context) => _invoker(transport, context);
}
