using System.Buffers;

namespace ImmutableInfra.Grpc.Internal;

/// <summary>
/// Pooled message buffers. The shared pool keeps only a few arrays per size per core, so with
/// many concurrent calls every rent missed and allocated; small buffers come from a pool sized
/// for that concurrency (bounded: 512 arrays per size up to 16 KiB, about 16 MiB at most).
/// </summary>
internal static class BufferPool
{
    private const int SmallLimit = 16 * 1024;
    private static readonly ArrayPool<byte> Small = ArrayPool<byte>.Create(SmallLimit, 512);

    public static byte[] Rent(int minimumLength) =>
        minimumLength <= SmallLimit ? Small.Rent(minimumLength) : ArrayPool<byte>.Shared.Rent(minimumLength);

    public static void Return(byte[] array)
    {
        if (array.Length <= SmallLimit)
        {
            Small.Return(array);
        }
        else
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
