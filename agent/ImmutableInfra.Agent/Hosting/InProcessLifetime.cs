using Microsoft.Extensions.Hosting;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>
/// The lifetime of an agent host that runs inside another process (the lab's simulated hosts, tests): started and stopped
/// by its owner, never by signals, which belong to the process.
/// </summary>
internal sealed class InProcessLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
