using Google.Protobuf;

namespace ImmutableInfra.Grpc;

/// <summary>Marshallers for Google.Protobuf messages.</summary>
public static class ProtobufMarshaller
{
    /// <summary>A marshaller for <typeparamref name="T"/> using its generated parser.</summary>
    public static Marshaller<T> Create<T>(MessageParser<T> parser)
        where T : IMessage<T>
    {
        ArgumentNullException.ThrowIfNull(parser);
        return new Marshaller<T>(
            static (message, destination) => message.WriteTo(destination),
            payload => parser.ParseFrom(payload.Span));
    }
}
