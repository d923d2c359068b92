using System.Diagnostics;

namespace ImmutableInfra.Agent.Platform;

/// <summary>The real <see cref="ICommandRunner"/> over System.Diagnostics.Process.</summary>
internal sealed class ProcessCommandRunner : ICommandRunner
{
    private const int ReadChunk = 64 * 1024;

    public async Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(request.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in request.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        process.Start();
        process.StandardInput.Close();

        var stdout = new BoundedOutputCollector(request.OutputEdgeBytes);
        var stderr = new BoundedOutputCollector(request.OutputEdgeBytes);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);

        var timedOut = false;
        try
        {
            // Streams are drained chunk by chunk into the bounded collectors, never read whole.
            var readOut = DrainAsync(process.StandardOutput.BaseStream, stdout, timeout.Token);
            var readErr = DrainAsync(process.StandardError.BaseStream, stderr, timeout.Token);
            await Task.WhenAll(readOut, readErr).ConfigureAwait(false);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            timedOut = true;
        }

        return new CommandResult(timedOut ? -1 : process.ExitCode, timedOut, stdout.ToOutput(), stderr.ToOutput());
    }

    private static async Task DrainAsync(Stream stream, BoundedOutputCollector collector, CancellationToken cancellationToken)
    {
        var buffer = new byte[ReadChunk];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            collector.Append(buffer.AsSpan(0, read));
        }
    }
}
