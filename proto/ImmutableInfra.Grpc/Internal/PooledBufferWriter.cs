using System.Buffers;

namespace ImmutableInfra.Grpc.Internal;

/// <summary>An <see cref="IBufferWriter{T}"/> over pooled arrays, bounded by a maximum size.</summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private readonly int _maxSize;
    private byte[] _buffer;
    private int _written;

    public PooledBufferWriter(int initialSize, int maxSize)
    {
        _maxSize = maxSize;
        _buffer = BufferPool.Rent(Math.Max(initialSize, 256));
    }

    public int WrittenCount => _written;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    public Span<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            BufferPool.Return(buffer);
        }
    }

    private void Ensure(int sizeHint)
    {
        var needed = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= needed)
        {
            return;
        }

        var required = (long)_written + needed;
        if (required > _maxSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Message larger than max ({required} vs. {_maxSize})"));
        }

        var size = (int)Math.Min(Math.Max(required, (long)_buffer.Length * 2), Math.Max(_maxSize, required));
        var larger = BufferPool.Rent(size);
        Buffer.BlockCopy(_buffer, 0, larger, 0, _written);
        BufferPool.Return(_buffer);
        _buffer = larger;
    }
}
