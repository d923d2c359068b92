namespace ImmutableInfra.Agent.Platform;

/// <summary>The systemd operations the agent needs, and nothing more. Unit operations return once systemd finished the job.</summary>
internal interface ISystemd
{
    Task StartAsync(string unit, CancellationToken cancellationToken);

    Task StopAsync(string unit, CancellationToken cancellationToken);

    Task RestartAsync(string unit, CancellationToken cancellationToken);

    /// <summary>Reloads the unit, or restarts it when it cannot reload (and starts it when it is not running).</summary>
    Task ReloadOrRestartAsync(string unit, CancellationToken cancellationToken);

    Task EnableAsync(string unit, CancellationToken cancellationToken);

    Task<bool> IsActiveAsync(string unit, CancellationToken cancellationToken);

    Task DaemonReloadAsync(CancellationToken cancellationToken);

    Task RebootAsync(CancellationToken cancellationToken);
}
