namespace ImmutableInfra.Agent.Platform;

/// <summary>The systemd operations the agent needs, and nothing more.</summary>
internal interface ISystemd
{
    Task StartAsync(string unit, CancellationToken cancellationToken);

    Task StopAsync(string unit, CancellationToken cancellationToken);

    Task RestartAsync(string unit, CancellationToken cancellationToken);

    Task ReloadAsync(string unit, CancellationToken cancellationToken);

    Task EnableAsync(string unit, CancellationToken cancellationToken);

    Task<bool> IsActiveAsync(string unit, CancellationToken cancellationToken);

    Task DaemonReloadAsync(CancellationToken cancellationToken);

    Task RebootAsync(CancellationToken cancellationToken);
}
