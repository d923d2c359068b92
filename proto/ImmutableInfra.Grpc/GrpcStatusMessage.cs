using System.Text;

namespace ImmutableInfra.Grpc;

/// <summary>Percent-encodes the <c>grpc-message</c> trailer as the protocol requires (UTF-8, %XX outside 0x20-0x7E and for '%').</summary>
public static class GrpcStatusMessage
{
    /// <summary>Encodes a status detail for the wire.</summary>
    public static string Encode(string detail)
    {
        ArgumentNullException.ThrowIfNull(detail);
        if (!NeedsEncoding(detail))
        {
            return detail;
        }

        var bytes = Encoding.UTF8.GetBytes(detail);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexDigit(b >> 4)).Append(HexDigit(b & 0xF));
            }
        }

        return builder.ToString();
    }

    /// <summary>Decodes a wire value; malformed %-sequences are kept literally, as the protocol asks.</summary>
    public static string Decode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var bytes = new byte[value.Length];
        var count = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%' && i + 2 < value.Length
                && TryHex(value[i + 1], out var high) && TryHex(value[i + 2], out var low))
            {
                bytes[count++] = (byte)((high << 4) | low);
                i += 2;
            }
            else
            {
                // A valid grpc-message is ASCII; anything else is passed through as Latin-1.
                bytes[count++] = c <= 0xFF ? (byte)c : (byte)'?';
            }
        }

        return Encoding.UTF8.GetString(bytes, 0, count);
    }

    private static bool NeedsEncoding(string detail)
    {
        foreach (var c in detail)
        {
            if (c is < (char)0x20 or > (char)0x7E || c == '%')
            {
                return true;
            }
        }

        return false;
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'A' + value - 10);

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'A' and <= 'F' => c - 'A' + 10,
            >= 'a' and <= 'f' => c - 'a' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}
