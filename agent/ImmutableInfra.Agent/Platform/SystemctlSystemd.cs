namespace ImmutableInfra.Agent.Platform;

/// <summary>The real <see cref="ISystemd"/>: runs systemctl (path configurable so tests can put a fake one in place).</summary>
internal sealed class SystemctlSystemd(ICommandRunner runner, string systemctlPath = "/usr/bin/systemctl", TimeSpan? timeout = null) : ISystemd
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromMinutes(2);

    public Task StartAsync(string unit, CancellationToken cancellationToken) => RunAsync(cancellationToken, "start", unit);

    public Task StopAsync(string unit, CancellationToken cancellationToken) => RunAsync(cancellationToken, "stop", unit);

    public Task RestartAsync(string unit, CancellationToken cancellationToken) => RunAsync(cancellationToken, "restart", unit);

    public Task ReloadAsync(string unit, CancellationToken cancellationToken) => RunAsync(cancellationToken, "reload", unit);

    public Task EnableAsync(string unit, CancellationToken cancellationToken) => RunAsync(cancellationToken, "enable", unit);

    public async Task<bool> IsActiveAsync(string unit, CancellationToken cancellationToken)
    {
        // is-active answers through its exit code: 0 active, non-zero anything else.
        var result = await runner.RunAsync(Request("is-active", "--quiet", unit), cancellationToken).ConfigureAwait(false);
        if (result.TimedOut)
        {
            throw new SystemdException($"systemctl is-active {unit} timed out");
        }

        return result.ExitCode == 0;
    }

    public Task DaemonReloadAsync(CancellationToken cancellationToken) => RunAsync(cancellationToken, "daemon-reload");

    public Task RebootAsync(CancellationToken cancellationToken) => RunAsync(cancellationToken, "reboot");

    private CommandRequest Request(params string[] arguments) => new(systemctlPath, arguments, _timeout) { OutputEdgeBytes = 4096 };

    private async Task RunAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        var request = Request(arguments);
        var result = await runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new SystemdException(result.TimedOut
                ? $"{request.Display} timed out after {_timeout}"
                : $"{request.Display} exited with {result.ExitCode}: {result.StandardError.ToString().Trim()}");
        }
    }
}
