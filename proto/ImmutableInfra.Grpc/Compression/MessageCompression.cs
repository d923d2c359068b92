using ImmutableInfra.Grpc.Internal;
using System.Buffers;
using System.IO.Compression;

namespace ImmutableInfra.Grpc;

/// <summary>The message compressions this implementation speaks: identity and gzip.</summary>
public static class MessageCompression
{
    /// <summary>No compression.</summary>
    public const string Identity = "identity";

    /// <summary>gzip (RFC 1952).</summary>
    public const string Gzip = "gzip";

    /// <summary>The value this side sends as grpc-accept-encoding.</summary>
    public const string AcceptEncodingValue = "identity,gzip";

    /// <summary>Whether <paramref name="encoding"/> (a grpc-encoding value) can be decoded here.</summary>
    public static bool IsSupported(string? encoding) =>
        encoding is null || encoding.Length == 0
        || string.Equals(encoding, Identity, StringComparison.OrdinalIgnoreCase)
        || string.Equals(encoding, Gzip, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="encoding"/> names an actual compression (not identity).</summary>
    public static bool IsCompressing(string? encoding) =>
        string.Equals(encoding, Gzip, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a grpc-accept-encoding list includes <paramref name="encoding"/>.</summary>
    public static bool Accepts(string? acceptEncoding, string encoding)
    {
        if (acceptEncoding is null)
        {
            return false;
        }

        foreach (var range in acceptEncoding.AsSpan().Split(','))
        {
            if (acceptEncoding.AsSpan(range).Trim().Equals(encoding, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Compresses <paramref name="source"/> with gzip into <paramref name="destination"/>.</summary>
    public static void Compress(ReadOnlySpan<byte> source, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var output = new BufferWriterStream(destination);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(source);
        }
    }

    /// <summary>
    /// Decompresses a gzip message into a pooled buffer (kept in <paramref name="buffer"/> for reuse),
    /// failing with RESOURCE_EXHAUSTED as soon as the output exceeds <paramref name="maxSize"/>.
    /// </summary>
    public static ReadOnlyMemory<byte> Decompress(string encoding, ReadOnlySpan<byte> source, int maxSize, ref byte[]? buffer)
    {
        if (!IsCompressing(encoding))
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, $"Unsupported grpc-encoding '{encoding}'."));
        }

        buffer ??= BufferPool.Rent(Math.Min(Math.Max(source.Length * 4, 4096), Math.Max(maxSize, 1) + 1));
        var copy = BufferPool.Rent(Math.Max(source.Length, 1));
        try
        {
            source.CopyTo(copy);
            using var input = new MemoryStream(copy, 0, source.Length, writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            var total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (total > maxSize)
                    {
                        break;
                    }

                    var larger = BufferPool.Rent((int)Math.Min((long)buffer.Length * 2, (long)maxSize + 1));
                    Buffer.BlockCopy(buffer, 0, larger, 0, total);
                    BufferPool.Return(buffer);
                    buffer = larger;
                }

                var read = gzip.Read(buffer, total, buffer.Length - total);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (total > maxSize)
                {
                    break;
                }
            }

            if (total > maxSize)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"Decompressed message larger than max ({maxSize})"));
            }

            return buffer.AsMemory(0, total);
        }
        catch (InvalidDataException ex)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Invalid gzip data in a compressed message."), ex);
        }
        finally
        {
            BufferPool.Return(copy);
        }
    }
}
