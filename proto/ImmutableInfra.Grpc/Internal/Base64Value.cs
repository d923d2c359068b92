namespace ImmutableInfra.Grpc.Internal;

/// <summary>Decodes -bin header values: base64, padded or not, possibly several joined by commas.</summary>
internal static class Base64Value
{
    public static byte[] Decode(string wireValue)
    {
        // Several values of one -bin key may arrive comma-joined; each is decoded on its own.
        if (wireValue.Contains(',', StringComparison.Ordinal))
        {
            using var joined = new MemoryStream();
            foreach (var part in wireValue.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var bytes = DecodeOne(part);
                joined.Write(bytes, 0, bytes.Length);
            }

            return joined.ToArray();
        }

        return DecodeOne(wireValue.Trim());
    }

    private static byte[] DecodeOne(string value)
    {
        var padding = (4 - (value.Length % 4)) % 4;
        if (padding == 3)
        {
            throw new FormatException("Invalid base64 length in a -bin metadata value.");
        }

        return Convert.FromBase64String(padding == 0 ? value : value + new string('=', padding));
    }
}
