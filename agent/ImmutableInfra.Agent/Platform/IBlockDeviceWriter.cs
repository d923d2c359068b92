namespace ImmutableInfra.Agent.Platform;

/// <summary>Raw writes to a block device, for zeroing what wipefs and discard do not cover.</summary>
internal interface IBlockDeviceWriter
{
    /// <summary>Writes zeroes over [offset, offset+length), reporting bytes written so far, and flushes to the device.</summary>
    Task ZeroAsync(string devicePath, long offset, long length, IProgress<long> written, CancellationToken cancellationToken);
}
