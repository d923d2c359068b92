using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>
/// Runs the agent's hosted service until SIGTERM, SIGINT or SIGQUIT, then stops it within the shutdown timeout.
/// </summary>
/// <remarks>
/// This stands in for Microsoft.Extensions.Hosting's generic host, which the agent used for exactly this. The generic
/// host's configuration, options and open-generic service resolution made the NativeAOT runtime build generic types at
/// run time, megabytes of heap the agent then kept for its whole life (docs/benchmarks.md, Agent footprint).
/// </remarks>
internal static class AgentHost
{
    /// <summary>Returns 0 after a signalled stop, 1 when the service failed on its own (systemd then restarts the unit).</summary>
    public static async Task<int> RunAsync(IHostedService service, TimeSpan shutdownTimeout, ILogger logger)
    {
        using var signalled = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            // Handled here: the runtime's default for these signals would end the process without a graceful stop.
            context.Cancel = true;
            signalled.Cancel();
        }

        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, Stop);

        await service.StartAsync(signalled.Token).ConfigureAwait(false);
        var stopRequested = Task.Delay(Timeout.Infinite, signalled.Token);
        var executing = (service as BackgroundService)?.ExecuteTask ?? Task.CompletedTask;
        // A service that returns on its own leaves the process idle until stopped, as the generic host did; one that
        // fails stops the process with an error exit.
        var first = await Task.WhenAny(stopRequested, executing).ConfigureAwait(false);
        var failure = first == executing ? executing.Exception?.GetBaseException() : null;
        if (failure is not null)
        {
            HostingLog.ServiceFailed(logger, failure);
        }
        else if (first == executing)
        {
            await stopRequested.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        using var timeout = new CancellationTokenSource(shutdownTimeout);
        await service.StopAsync(timeout.Token).ConfigureAwait(false);
        return failure is null ? 0 : 1;
    }
}
