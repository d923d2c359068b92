using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Reset;

/// <summary>
/// Wipes one data disk per policy. Refuses (SKIPPED, with the reason) a disk that holds the OS, is mounted or
/// otherwise in use, is persistent, read-only or removable, whatever policy the coordinator asked for: these checks
/// come from the host itself, read just before the wipe, so no desired state can name its way past them.
/// Never retries: a failure is reported once.
/// </summary>
internal sealed class DiskWiper(ICommandRunner runner, IBlockDeviceWriter writer, ILogger<DiskWiper> logger)
{
    /// <summary>Zeroed at each end: GPT keeps its backup header in the last sectors.</summary>
    public const long EdgeBytes = 1024 * 1024;

    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(5);

    // Discarding a multi-terabyte disk can take long on some controllers; still finite.
    private static readonly TimeSpan DiscardTimeout = TimeSpan.FromHours(2);

    public async Task<DiskWipeProgress> WipeAsync(
        DiskRecord disk, WipePolicy policy, bool persistent, IProgress<DiskWipeProgress> progress, CancellationToken cancellationToken)
    {
        var state = new DiskWipeProgress { Disk = disk.Identity, Policy = policy, State = DiskWipeState.Pending };
        if (RefusalReason(disk, policy, persistent) is { } reason)
        {
            state.State = DiskWipeState.Skipped;
            state.Reason = reason;
            ResetLog.DiskSkipped(logger, disk.Identity, reason);
            progress.Report(state.Clone());
            return state;
        }

        state.State = DiskWipeState.Running;
        state.BytesTotal = policy == WipePolicy.Full ? disk.Info.SizeBytes : (ulong)Math.Min(2 * EdgeBytes, (long)disk.Info.SizeBytes);
        progress.Report(state.Clone());
        ResetLog.DiskWipeStarted(logger, disk.Identity, policy);
        try
        {
            if (policy == WipePolicy.Full)
            {
                await WipeFullAsync(disk, state, progress, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WipeMetadataAsync(disk, state, progress, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WipeFailedException or IOException or UnauthorizedAccessException)
        {
            state.State = DiskWipeState.Failed;
            state.Reason = e.Message;
            ResetLog.DiskWipeFailed(logger, disk.Identity, e.Message);
            progress.Report(state.Clone());
            return state;
        }

        state.State = DiskWipeState.Done;
        state.BytesDone = state.BytesTotal;
        ResetLog.DiskWiped(logger, disk.Identity);
        progress.Report(state.Clone());
        return state;
    }

    private static string? RefusalReason(DiskRecord disk, WipePolicy policy, bool persistent)
    {
        if (disk.Info.HoldsOs)
        {
            return "holds the running OS";
        }

        if (disk.Info.Mounted)
        {
            return "a filesystem on it is mounted, or it is in use (swap, device-mapper, md)";
        }

        // A USB stick or card in the slot is the installer, a key, an operator's data: never a host's own storage.
        if (disk.Info.Removable || disk.Info.Transport == DiskTransport.Usb)
        {
            return "removable (USB) disk";
        }

        if (persistent)
        {
            return "marked persistent";
        }

        if (policy is WipePolicy.None or WipePolicy.Unspecified)
        {
            return "policy none";
        }

        return disk.Info.ReadOnly ? "read-only" : null;
    }

    private async Task WipeMetadataAsync(DiskRecord disk, DiskWipeProgress state, IProgress<DiskWipeProgress> progress, CancellationToken cancellationToken)
    {
        // Partitions first: their signatures sit inside the disk and survive a wipe of the table alone.
        foreach (var partition in disk.PartitionDevicePaths)
        {
            await RunAsync("wipefs", ["--all", partition], ToolTimeout, cancellationToken).ConfigureAwait(false);
        }

        await RunAsync("wipefs", ["--all", disk.DevicePath], ToolTimeout, cancellationToken).ConfigureAwait(false);
        var size = (long)disk.Info.SizeBytes;
        var edge = Math.Min(EdgeBytes, size);
        // Two MiB finish at once; progress is reported per edge below, not per chunk.
        var perChunk = new SynchronousProgress(_ => { });
        await writer.ZeroAsync(disk.DevicePath, 0, edge, perChunk, cancellationToken).ConfigureAwait(false);
        state.BytesDone = (ulong)edge;
        progress.Report(state.Clone());
        if (size > edge)
        {
            var tail = Math.Min(EdgeBytes, size - edge);
            await writer.ZeroAsync(disk.DevicePath, size - tail, tail, perChunk, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WipeFullAsync(DiskRecord disk, DiskWipeProgress state, IProgress<DiskWipeProgress> progress, CancellationToken cancellationToken)
    {
        if (disk.SupportsDiscard)
        {
            var discard = await runner.RunAsync(new CommandRequest("blkdiscard", ["--force", disk.DevicePath], DiscardTimeout) { OutputEdgeBytes = 4096 }, cancellationToken)
                .ConfigureAwait(false);
            if (discard.Succeeded)
            {
                return;
            }

            // Devices advertise discard they then reject (some RAID volumes); zeroing is the fallback, not a retry.
            ResetLog.DiscardFailed(logger, disk.Identity, discard.ExitCode);
        }

        var reporter = new SynchronousProgress(done =>
        {
            state.BytesDone = (ulong)done;
            progress.Report(state.Clone());
        });
        await writer.ZeroAsync(disk.DevicePath, 0, (long)disk.Info.SizeBytes, reporter, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = new CommandRequest(tool, arguments, timeout) { OutputEdgeBytes = 4096 };
        var result = await runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new WipeFailedException(result.TimedOut
                ? $"{request.Display} timed out"
                : $"{request.Display} exited with code {result.ExitCode}: {result.StandardError.ToString().Trim()}");
        }
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
