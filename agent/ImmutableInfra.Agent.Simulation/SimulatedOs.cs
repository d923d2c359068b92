using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Agent.Vip;
using Microsoft.Extensions.Hosting.Systemd;

namespace ImmutableInfra.Agent.Simulation;

/// <summary>
/// Plays the host's part for commands: every command succeeds after a short delay (kubeadm takes
/// longer), and CAPI's runcmd "... echo success &gt; /run/cluster-api/bootstrap-success.complete" writes the
/// sentinel under the host's root, as the real shell would after kubeadm succeeded.
/// </summary>
internal sealed class SimulatedCommandRunner(string root, TimeSpan kubeadmTime) : ICommandRunner
{
    public const string SentinelCommand = "echo success > /run/cluster-api/bootstrap-success.complete";

    private int _kubeadmJoinsAndInits;

    /// <summary>How many <c>kubeadm init</c>/<c>join</c> commands ran: bootstrap must run once per machine.</summary>
    public int KubeadmJoinsAndInits => Volatile.Read(ref _kubeadmJoinsAndInits);

    public async Task<CommandResult> RunAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var line = request.Display;
        if (line.Contains("kubeadm init", StringComparison.Ordinal) || line.Contains("kubeadm join", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _kubeadmJoinsAndInits);
        }

        if (line.Contains("kubeadm", StringComparison.Ordinal) && kubeadmTime > TimeSpan.Zero)
        {
            await Task.Delay(kubeadmTime, cancellationToken).ConfigureAwait(false);
        }

        if (line.Contains(SentinelCommand, StringComparison.Ordinal))
        {
            var sentinel = Path.Combine(root, "run/cluster-api/bootstrap-success.complete");
            Directory.CreateDirectory(Path.GetDirectoryName(sentinel)!);
            await File.WriteAllTextAsync(sentinel, "success\n", cancellationToken).ConfigureAwait(false);
        }

        return CommandResult.Ok();
    }
}

/// <summary>systemd as a host without units to manage: every operation succeeds.</summary>
internal sealed class SimulatedSystemd : ISystemd
{
    public Task StartAsync(string unit, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(string unit, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RestartAsync(string unit, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ReloadOrRestartAsync(string unit, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task EnableAsync(string unit, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> IsActiveAsync(string unit, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task DaemonReloadAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RebootAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Block devices that accept zeroing instantly (the lab's disks exist only in sysfs).</summary>
internal sealed class SimulatedBlockDevices : IBlockDeviceWriter
{
    public Task ZeroAsync(string devicePath, long offset, long length, IProgress<long> written, CancellationToken cancellationToken)
    {
        written.Report(length);
        return Task.CompletedTask;
    }
}

/// <summary>One address per simulated host, on its first NIC.</summary>
internal sealed class SimulatedAddresses(string nic, string cidr) : INetworkAddressSource, ILocalAddresses
{
    public IReadOnlyList<string> AddressesOf(string interfaceName) => interfaceName == nic ? [cidr] : [];

    // The VIP component sees the same one address, so keepalived.conf is rendered for the simulated NIC.
    public IReadOnlyList<LocalAddress> All() =>
        Contract.V1.InterfaceAddress.TryParse(cidr, out var parsed) ? [new LocalAddress(nic, parsed.Address, parsed.PrefixLength)] : [];
}

/// <summary>Keeps the agent's last sd_notify STATUS= line, for the lab's progress view.</summary>
internal sealed class SimulatedNotifier : ISystemdNotifier
{
    private volatile string _status = string.Empty;

    public bool IsEnabled => true;

    public string Status => _status;

    public void Notify(ServiceState state)
    {
        foreach (var line in state.ToString().Split('\n'))
        {
            if (line.StartsWith("STATUS=", StringComparison.Ordinal))
            {
                _status = line["STATUS=".Length..];
            }
        }
    }
}
