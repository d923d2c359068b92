using System.Buffers.Binary;

namespace ImmutableInfra.Grpc;

/// <summary>The gRPC length prefix: 1 byte compressed flag, 4 bytes big-endian message length.</summary>
public static class MessageFrame
{
    /// <summary>Size of the prefix in bytes.</summary>
    public const int HeaderSize = 5;

    /// <summary>Writes the prefix for a message of <paramref name="length"/> bytes.</summary>
    public static void WriteHeader(Span<byte> destination, bool compressed, int length)
    {
        destination[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)length);
    }
}
