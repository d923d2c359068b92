namespace ImmutableInfra.Grpc;

/// <summary>A gRPC method: its kind, its names and how its messages are marshalled.</summary>
public sealed class Method<TRequest, TResponse>
{
    /// <summary>Creates a method descriptor; <paramref name="serviceName"/> is fully qualified (package.Service).</summary>
    public Method(MethodType type, string serviceName, string name, Marshaller<TRequest> requestMarshaller, Marshaller<TResponse> responseMarshaller)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(requestMarshaller);
        ArgumentNullException.ThrowIfNull(responseMarshaller);
        Type = type;
        ServiceName = serviceName;
        Name = name;
        FullName = $"/{serviceName}/{name}";
        RequestMarshaller = requestMarshaller;
        ResponseMarshaller = responseMarshaller;
    }

    /// <summary>The kind of call.</summary>
    public MethodType Type { get; }

    /// <summary>The fully qualified service name, e.g. immutableinfra.agent.v1.AgentService.</summary>
    public string ServiceName { get; }

    /// <summary>The method name, e.g. Register.</summary>
    public string Name { get; }

    /// <summary>The HTTP/2 path, /{ServiceName}/{Name}.</summary>
    public string FullName { get; }

    /// <summary>Marshals requests.</summary>
    public Marshaller<TRequest> RequestMarshaller { get; }

    /// <summary>Marshals responses.</summary>
    public Marshaller<TResponse> ResponseMarshaller { get; }
}
