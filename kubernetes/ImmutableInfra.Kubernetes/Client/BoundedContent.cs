namespace ImmutableInfra.Kubernetes.Client;

/// <summary>Reads a response body into memory up to a bound, so a huge answer fails instead of exhausting memory.</summary>
internal static class BoundedContent
{
    public static async Task<byte[]> ReadAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is { } length && length > maxBytes)
        {
            throw new InvalidDataException($"response body of {length} bytes exceeds the {maxBytes}-byte limit");
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    throw new InvalidDataException($"response body exceeds the {maxBytes}-byte limit");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
