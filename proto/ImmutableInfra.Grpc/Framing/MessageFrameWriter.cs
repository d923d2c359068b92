using ImmutableInfra.Grpc.Internal;

namespace ImmutableInfra.Grpc;

/// <summary>Serializes a message into a length-prefixed frame, compressing it when asked, bounded by a maximum size.</summary>
public static class MessageFrameWriter
{
    /// <summary>
    /// Frames <paramref name="message"/>; throws RESOURCE_EXHAUSTED when the serialized message is
    /// larger than <paramref name="maxMessageSize"/>. <paramref name="compression"/> is null or a
    /// grpc-encoding name.
    /// </summary>
    public static FramedMessage Frame<T>(T message, Marshaller<T> marshaller, int maxMessageSize, string? compression)
    {
        ArgumentNullException.ThrowIfNull(marshaller);
        var buffer = new PooledBufferWriter(1024, checked(maxMessageSize + MessageFrame.HeaderSize));
        try
        {
            buffer.GetSpan(MessageFrame.HeaderSize);
            buffer.Advance(MessageFrame.HeaderSize);
            marshaller.Serialize(message, buffer);
            var length = buffer.WrittenCount - MessageFrame.HeaderSize;
            if (length > maxMessageSize)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Sending message larger than max ({length} vs. {maxMessageSize})"));
            }

            if (MessageCompression.IsCompressing(compression))
            {
                return Compress(buffer, maxMessageSize);
            }

            MessageFrame.WriteHeader(buffer.WrittenSpan, compressed: false, length);
            return new FramedMessage(buffer);
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>Frames raw bytes as an uncompressed message (tests and raw peers).</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var frame = new byte[MessageFrame.HeaderSize + payload.Length];
        MessageFrame.WriteHeader(frame, compressed: false, payload.Length);
        payload.CopyTo(frame.AsSpan(MessageFrame.HeaderSize));
        return frame;
    }

    private static FramedMessage Compress(PooledBufferWriter uncompressed, int maxMessageSize)
    {
        var compressed = new PooledBufferWriter(uncompressed.WrittenCount / 2, checked(maxMessageSize + MessageFrame.HeaderSize + 1024));
        try
        {
            compressed.GetSpan(MessageFrame.HeaderSize);
            compressed.Advance(MessageFrame.HeaderSize);
            MessageCompression.Compress(uncompressed.WrittenSpan[MessageFrame.HeaderSize..], compressed);
            MessageFrame.WriteHeader(compressed.WrittenSpan, compressed: true, compressed.WrittenCount - MessageFrame.HeaderSize);
            return new FramedMessage(compressed);
        }
        catch
        {
            compressed.Dispose();
            throw;
        }
        finally
        {
            uncompressed.Dispose();
        }
    }
}
