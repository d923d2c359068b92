namespace ImmutableInfra.Agent.Platform;

/// <summary>The real <see cref="IBlockDeviceWriter"/>: a FileStream on the device node, 1 MiB at a time.</summary>
internal sealed class BlockDeviceWriter : IBlockDeviceWriter
{
    private const int ChunkBytes = 1024 * 1024;

    // Progress every 64 MiB: often enough to show movement, rare enough not to flood the stream.
    private const long ReportEveryBytes = 64L * 1024 * 1024;

    public async Task ZeroAsync(string devicePath, long offset, long length, IProgress<long> written, CancellationToken cancellationToken)
    {
        var zeroes = new byte[ChunkBytes];
        var stream = new FileStream(devicePath, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Write, Share = FileShare.ReadWrite });
        await using (stream.ConfigureAwait(false))
        {
            stream.Seek(offset, SeekOrigin.Begin);
            long done = 0;
            long lastReport = 0;
            while (done < length)
            {
                var count = (int)Math.Min(ChunkBytes, length - done);
                await stream.WriteAsync(zeroes.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                done += count;
                if (done - lastReport >= ReportEveryBytes)
                {
                    written.Report(done);
                    lastReport = done;
                }
            }

            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
            written.Report(done);
        }
    }
}
