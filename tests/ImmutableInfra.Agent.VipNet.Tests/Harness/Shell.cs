using System.Diagnostics;

namespace ImmutableInfra.Agent.VipNet.Harness;

/// <summary>Runs `sh -ec` scripts (ip, bridge, sysctl) with a time bound; a failure throws with stderr.</summary>
internal static class Shell
{
    public static async Task<string> RunAsync(string script, bool check = true)
    {
        var psi = new ProcessStartInfo("sh", ["-ec", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("sh did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("script did not finish within 30 s: " + script);
        }

        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"script failed ({process.ExitCode}): {await stderr.ConfigureAwait(false)}\n{script}");
        }

        return await stdout.ConfigureAwait(false);
    }
}
