using System.Text;

namespace ImmutableInfra.Agent.Bootstrap.Ignition;

/// <summary>RFC 2397 data: URLs as Ignition uses them for inline file contents (base64 or percent-encoded).</summary>
internal static class DataUrl
{
    public static byte[] Decode(string path, string url)
    {
        if (!url.StartsWith("data:", StringComparison.Ordinal))
        {
            throw new BootstrapParseException($"ignition: {path}: only data: URLs are supported, not '{Scheme(url)}'");
        }

        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            throw new BootstrapParseException($"ignition: {path}: data URL has no ','");
        }

        var header = url[5..comma];
        var payload = url[(comma + 1)..];
        if (header.EndsWith(";base64", StringComparison.Ordinal))
        {
            try
            {
                return Convert.FromBase64String(Uri.UnescapeDataString(payload));
            }
            catch (FormatException)
            {
                throw new BootstrapParseException($"ignition: {path}: data URL is not valid base64");
            }
        }

        return PercentDecode(path, payload);
    }

    private static string Scheme(string url)
    {
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? url[..colon] : url;
    }

    // Uri.UnescapeDataString would turn invalid UTF-8 into replacement characters; decode bytes exactly.
    private static byte[] PercentDecode(string path, string payload)
    {
        var bytes = new List<byte>(payload.Length);
        for (var i = 0; i < payload.Length; i++)
        {
            if (payload[i] == '%')
            {
                if (i + 2 >= payload.Length || !Uri.IsHexDigit(payload[i + 1]) || !Uri.IsHexDigit(payload[i + 2]))
                {
                    throw new BootstrapParseException($"ignition: {path}: data URL has a bad percent escape");
                }

                bytes.Add((byte)Convert.ToInt32(payload.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(payload[i].ToString()));
            }
        }

        return [.. bytes];
    }
}
