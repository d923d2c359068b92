using System.Buffers;

namespace ImmutableInfra.Grpc;

/// <summary>Turns messages of type <typeparamref name="T"/> into bytes and back.</summary>
public sealed class Marshaller<T>
{
    private readonly Action<T, IBufferWriter<byte>> _serializer;
    private readonly Func<ReadOnlyMemory<byte>, T> _deserializer;

    /// <summary>Creates a marshaller from a serializer and a deserializer.</summary>
    public Marshaller(Action<T, IBufferWriter<byte>> serializer, Func<ReadOnlyMemory<byte>, T> deserializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(deserializer);
        _serializer = serializer;
        _deserializer = deserializer;
    }

    /// <summary>Writes <paramref name="message"/> to <paramref name="destination"/>.</summary>
    public void Serialize(T message, IBufferWriter<byte> destination) => _serializer(message, destination);

    /// <summary>Reads a message; a payload that does not parse fails with INTERNAL.</summary>
    public T Deserialize(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return _deserializer(payload);
        }
        catch (Exception ex) when (ex is not RpcException and not OutOfMemoryException)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Failed to deserialize a message."), ex);
        }
    }
}
