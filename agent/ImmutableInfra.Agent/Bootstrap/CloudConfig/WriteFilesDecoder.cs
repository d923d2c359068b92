using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace ImmutableInfra.Agent.Bootstrap.CloudConfig;

/// <summary>Decodes write_files content per its encoding and parses octal permissions.</summary>
internal static class WriteFilesDecoder
{
    private const int MaxDecompressedBytes = 64 * 1024 * 1024;

    public static byte[] Decode(string path, string content, string? encoding)
    {
        try
        {
            return (encoding?.ToLowerInvariant()) switch
            {
                null or "" or "text/plain" or "text" => Encoding.UTF8.GetBytes(content),
                "b64" or "base64" => Convert.FromBase64String(content),
                "gz" or "gzip" => Gunzip(Encoding.Latin1.GetBytes(content)),
                "gz+base64" or "gzip+base64" or "gz+b64" or "gzip+b64" => Gunzip(Convert.FromBase64String(content)),
                _ => throw new BootstrapParseException($"write_files {path}: unknown encoding '{encoding}'"),
            };
        }
        catch (FormatException)
        {
            throw new BootstrapParseException($"write_files {path}: content is not valid base64");
        }
        catch (InvalidDataException)
        {
            throw new BootstrapParseException($"write_files {path}: content is not valid gzip");
        }
    }

    public static UnixFileMode ParseMode(string path, string? permissions)
    {
        if (string.IsNullOrWhiteSpace(permissions))
        {
            return (UnixFileMode)Convert.ToInt32("644", 8);
        }

        var text = permissions.Trim().Trim('\'', '"');
        if (text.StartsWith("0o", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        if (text.Length == 0 || text.Length > 5 || !text.All(c => c is >= '0' and <= '7'))
        {
            throw new BootstrapParseException($"write_files {path}: permissions '{permissions}' is not an octal mode");
        }

        return (UnixFileMode)Convert.ToInt32(text, 8);
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
            if (output.Length > MaxDecompressedBytes)
            {
                throw new BootstrapParseException(string.Create(CultureInfo.InvariantCulture, $"gzip content expands beyond {MaxDecompressedBytes} bytes"));
            }
        }

        return output.ToArray();
    }
}
