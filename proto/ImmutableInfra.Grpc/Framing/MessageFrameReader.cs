using System.Buffers;
using System.Buffers.Binary;
using ImmutableInfra.Grpc.Internal;

namespace ImmutableInfra.Grpc;

/// <summary>
/// Reads length-prefixed gRPC messages from a stream. A declared length over the limit fails
/// with RESOURCE_EXHAUSTED before any of the message is buffered; the buffer never grows past
/// the limit plus the prefix.
/// </summary>
public sealed class MessageFrameReader : IDisposable
{
    private const int InitialBufferSize = 4 * 1024;

    private readonly Stream _stream;
    private readonly int _maxMessageSize;
    private readonly string? _encoding;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private byte[]? _decompressed;
    private bool _disposed;

    /// <summary>Creates a reader; <paramref name="encoding"/> is the peer's grpc-encoding (null or identity for none).</summary>
    public MessageFrameReader(Stream stream, int maxMessageSize, string? encoding)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(maxMessageSize);
        _stream = stream;
        _maxMessageSize = maxMessageSize;
        _encoding = encoding;
        _buffer = BufferPool.Rent(InitialBufferSize);
    }

    /// <summary>
    /// Reads the next message; the returned memory is valid until the next call. Returns false at
    /// a clean end of stream; throws <see cref="RpcException"/> for a truncated or oversized frame.
    /// </summary>
    public async ValueTask<ReadOnlyMemory<byte>?> ReadMessageAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!await FillAsync(MessageFrame.HeaderSize, cancellationToken).ConfigureAwait(false))
        {
            if (_end - _start == 0)
            {
                return null;
            }

            throw new RpcException(new Status(StatusCode.Internal, "Incomplete message prefix: the stream ended inside a message header."));
        }

        var flag = _buffer[_start];
        var length = BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(_start + 1, 4));
        if (flag > 1)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Invalid compressed flag {flag} in message prefix."));
        }

        if (length > (uint)_maxMessageSize)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Received message larger than max ({length} vs. {_maxMessageSize})"));
        }

        var total = MessageFrame.HeaderSize + (int)length;
        if (!await FillAsync(total, cancellationToken).ConfigureAwait(false))
        {
            throw new RpcException(new Status(StatusCode.Internal, "Incomplete message: the stream ended before the declared length."));
        }

        var payload = new ReadOnlyMemory<byte>(_buffer, _start + MessageFrame.HeaderSize, (int)length);
        _start += total;
        if (flag == 0)
        {
            return payload;
        }

        if (_encoding is null || !MessageCompression.IsCompressing(_encoding))
        {
            throw new RpcException(new Status(StatusCode.Internal, "Compressed message received without a grpc-encoding."));
        }

        return MessageCompression.Decompress(_encoding, payload.Span, _maxMessageSize, ref _decompressed);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        BufferPool.Return(_buffer);
        if (_decompressed is not null)
        {
            BufferPool.Return(_decompressed);
        }
    }

    // Ensures `count` unread bytes are buffered; false when the stream ends first.
    private async ValueTask<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        EnsureCapacity(count);
        while (_end - _start < count)
        {
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            _end += read;
        }

        return true;
    }

    private void EnsureCapacity(int count)
    {
        var unread = _end - _start;
        if (_buffer.Length - _start >= count)
        {
            return;
        }

        if (_buffer.Length >= count)
        {
            // Enough room once the consumed prefix is dropped.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
        }
        else
        {
            var larger = BufferPool.Rent(Math.Max(count, InitialBufferSize));
            Buffer.BlockCopy(_buffer, _start, larger, 0, unread);
            BufferPool.Return(_buffer);
            _buffer = larger;
        }

        _start = 0;
        _end = unread;
    }
}
