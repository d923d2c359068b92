using ImmutableInfra.Grpc.Internal;

namespace ImmutableInfra.Grpc;

/// <summary>One message with its 5-byte prefix, in pooled memory released by <see cref="Dispose"/>.</summary>
public sealed class FramedMessage : IDisposable
{
    private readonly PooledBufferWriter _buffer;

    internal FramedMessage(PooledBufferWriter buffer)
    {
        _buffer = buffer;
    }

    /// <summary>The prefix followed by the (possibly compressed) message bytes.</summary>
    public ReadOnlyMemory<byte> Memory => _buffer.WrittenMemory;

    /// <inheritdoc />
    public void Dispose() => _buffer.Dispose();
}
