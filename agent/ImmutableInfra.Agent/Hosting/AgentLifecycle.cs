using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Inventory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>
/// What the agent does before it is ready: prepares the state directory and reads the inventory, so READY=1 (sent by the
/// host's systemd lifetime once every service has started) means configured, with the inventory read. The coordinator
/// link then connects or retries on its own.
/// </summary>
internal sealed class AgentLifecycle(
    AgentOptions options, HostInventoryReader inventoryReader, AgentStatus status, WatchdogService watchdog, ILogger<AgentLifecycle> logger)
    : IHostedLifecycleService
{
    public const string ConnectingPhase = "connecting to the coordinator";

    public Task StartingAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.StateDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        status.Set("reading inventory");
        var inventory = inventoryReader.Read();
        HostingLog.InventoryRead(logger, inventory.Disks.Count, inventory.Nics.Count, inventory.Cpu.Threads, inventory.Fingerprint);
        status.Set(ConnectingPhase);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        HostingLog.Ready(logger, options.CoordinatorUrl, options.Pool, watchdog.Interval);
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        HostingLog.Stopping(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
