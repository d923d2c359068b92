using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Dashboard;

/// <summary>What <c>kubectl baremetal dashboard</c> does: start, print the URL, open the browser, serve until stopped.</summary>
public static class DashboardRunner
{
    public static async Task<int> RunAsync(DashboardOptions options, bool openBrowser, TextWriter output, ILoggerFactory loggers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var dashboard = await DashboardHost.StartAsync(options, loggers, ct).ConfigureAwait(false);
        await output.WriteLineAsync($"dashboard: {dashboard.Url} (read-only, through your kubeconfig; Ctrl-C stops it)").ConfigureAwait(false);
        if (openBrowser && !BrowserLauncher.TryOpen(dashboard.Url))
        {
            await output.WriteLineAsync("no xdg-open here: open the URL above in your browser").ConfigureAwait(false);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        return 0;
    }
}
