using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace ImmutableInfra.Grpc;

/// <summary>Builds <see cref="Method{TRequest, TResponse}"/> from the descriptors protoc generates.</summary>
public static class ProtobufMethod
{
    /// <summary>
    /// The method described by <paramref name="descriptor"/>, checked against the message types:
    /// a mismatch between the .proto and the type arguments fails here, not on the wire.
    /// </summary>
    public static Method<TRequest, TResponse> Create<TRequest, TResponse>(MethodDescriptor descriptor)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var request = new TRequest();
        var response = new TResponse();
        if (request.Descriptor != descriptor.InputType || response.Descriptor != descriptor.OutputType)
        {
            throw new ArgumentException(
                $"Method {descriptor.FullName} takes {descriptor.InputType.FullName} and returns {descriptor.OutputType.FullName}, not {request.Descriptor.FullName} / {response.Descriptor.FullName}.",
                nameof(descriptor));
        }

        return Create<TRequest, TResponse>(TypeOf(descriptor), descriptor.Service.FullName, descriptor.Name);
    }

    /// <summary>
    /// The method named <paramref name="serviceName"/>/<paramref name="name"/>, without touching descriptors (see
    /// AgentServiceMethods for why); the caller's tests check it against the descriptor.
    /// </summary>
    public static Method<TRequest, TResponse> Create<TRequest, TResponse>(MethodType type, string serviceName, string name)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>, new() =>
        new(
            type,
            serviceName,
            name,
            ProtobufMarshaller.Create(new MessageParser<TRequest>(static () => new TRequest())),
            ProtobufMarshaller.Create(new MessageParser<TResponse>(static () => new TResponse())));

    /// <summary>The call kind a descriptor declares.</summary>
    public static MethodType TypeOf(MethodDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return (descriptor.IsClientStreaming, descriptor.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (true, false) => MethodType.ClientStreaming,
            (false, true) => MethodType.ServerStreaming,
            _ => MethodType.DuplexStreaming,
        };
    }
}
