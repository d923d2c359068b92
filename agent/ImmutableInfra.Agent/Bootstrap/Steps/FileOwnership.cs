using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Bootstrap.Steps;

/// <summary>Applies a "user:group" owner through chown; root ownership (what the agent creates) needs no call.</summary>
internal static class FileOwnership
{
    public static async Task ApplyAsync(BootstrapContext context, string resolvedPath, string? owner, CancellationToken cancellationToken)
    {
        if (owner is null or "root" or "root:root" or "0:0" or "0")
        {
            return;
        }

        var request = new CommandRequest("chown", ["--no-dereference", owner, resolvedPath], TimeSpan.FromSeconds(30)) { OutputEdgeBytes = 1024 };
        var result = await context.Runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new BootstrapStepFailedException($"chown {owner} failed with exit code {result.ExitCode}");
        }
    }
}
