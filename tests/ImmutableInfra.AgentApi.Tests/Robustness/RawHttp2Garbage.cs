using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ImmutableInfra.AgentApi.Tests.Robustness;

/// <summary>Opens a TCP connection, sends a valid HTTP/2 preface and SETTINGS, then garbage frames; reports whether the server answered with GOAWAY or closed.</summary>
internal static class RawHttp2Garbage
{
    private static readonly byte[] Preface = Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

    public static async Task<bool> SendAsync(int port, int seed, TimeSpan bound)
    {
        var random = new Random(seed);
        using var cts = new CancellationTokenSource(bound);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), cts.Token);
        var payload = new List<byte>(Preface);
        payload.AddRange(Frame(0x4, 0, 0, [])); // empty SETTINGS
        payload.AddRange(Garbage(random));
        try
        {
            await socket.SendAsync(payload.ToArray(), SocketFlags.None, cts.Token);
        }
        catch (SocketException)
        {
            return true; // the server already closed the connection
        }

        var buffer = new byte[16 * 1024];
        var received = new List<byte>();
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                if (read == 0)
                {
                    return true; // closed
                }

                received.AddRange(buffer.AsSpan(0, read).ToArray());
                if (ContainsFrameType(received, 0x7) || ContainsFrameType(received, 0x3))
                {
                    return true; // GOAWAY or RST_STREAM
                }
            }
        }
        catch (SocketException)
        {
            return true; // reset by the server
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static IEnumerable<byte> Garbage(Random random)
    {
        switch (random.Next(7))
        {
            case 0: // random bytes
                var bytes = new byte[random.Next(9, 512)];
                random.NextBytes(bytes);
                return bytes;
            case 1: // DATA on stream 0
                return Frame(0x0, 0x1, 0, [1, 2, 3]);
            case 2: // frame larger than SETTINGS_MAX_FRAME_SIZE
                return FrameHeader(0x0, 0x0, 1, 0xFFFFFF).Concat(new byte[100]);
            case 3: // HEADERS with an invalid HPACK block
                var block = new byte[random.Next(1, 64)];
                random.NextBytes(block);
                block[0] = 0xFF;
                return Frame(0x1, 0x5, 1, block);
            case 4: // WINDOW_UPDATE with zero increment on the connection
                return Frame(0x8, 0, 0, [0, 0, 0, 0]);
            case 5: // SETTINGS with a bad length
                return Frame(0x4, 0, 0, [1, 2, 3]);
            default: // PING with a bad length
                return Frame(0x6, 0, 0, [1, 2, 3]);
        }
    }

    private static byte[] Frame(byte type, byte flags, int stream, byte[] payload) =>
        FrameHeader(type, flags, stream, payload.Length).Concat(payload).ToArray();

    private static byte[] FrameHeader(byte type, byte flags, int stream, int length) =>
    [
        (byte)(length >> 16), (byte)(length >> 8), (byte)length, type, flags,
        (byte)((stream >> 24) & 0x7F), (byte)(stream >> 16), (byte)(stream >> 8), (byte)stream,
    ];

    private static bool ContainsFrameType(List<byte> data, byte type)
    {
        var offset = 0;
        while (offset + 9 <= data.Count)
        {
            var length = (data[offset] << 16) | (data[offset + 1] << 8) | data[offset + 2];
            if (data[offset + 3] == type)
            {
                return true;
            }

            offset += 9 + length;
        }

        return false;
    }
}
