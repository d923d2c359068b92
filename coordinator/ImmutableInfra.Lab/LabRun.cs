using System.Diagnostics;
using System.Globalization;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.Cli;

namespace ImmutableInfra.Lab;

/// <summary>
/// The lab's script: enroll the hosts, create a cluster with its control plane first (as KCP does) and
/// then the rest, show progress live, end with tables of hosts and machines, and optionally tear the
/// cluster down until every host is Available again. Exit 0 only when every step reached its end state.
/// </summary>
internal sealed class LabRun(LabEnvironment lab, TextWriter output)
{
    public const string ClusterName = "lab-cluster";

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var options = lab.Options;
        var clock = Stopwatch.StartNew();
        await lab.CreatePoolAsync(ct).ConfigureAwait(false);
        await lab.StartHostsAsync(0, options.Hosts, ct).ConfigureAwait(false);
        await WaitAsync("hosts enrolled and Available", async () =>
        {
            var hosts = await lab.HostsAsync(ct).ConfigureAwait(false);
            return hosts.Count(h => h.Status?.State == HostState.Available) == options.Hosts;
        }, clock, ct).ConfigureAwait(false);

        var capi = new ClusterApiSimulator(lab.Api, LabEnvironment.Namespace, ClusterName);
        await capi.CreateClusterAsync(ct).ConfigureAwait(false);
        var names = new List<string>();
        await capi.CreateMachineAsync($"{ClusterName}-cp-0", controlPlane: true, firstControlPlane: true, ct).ConfigureAwait(false);
        names.Add($"{ClusterName}-cp-0");
        await WaitAsync("first control plane provisioned (kubeadm init)", () => ProvisionedAsync(names, ct), clock, ct).ConfigureAwait(false);
        for (var i = 1; i < options.ControlPlanes; i++)
        {
            names.Add($"{ClusterName}-cp-{i}");
            await capi.CreateMachineAsync(names[^1], controlPlane: true, firstControlPlane: false, ct).ConfigureAwait(false);
        }

        for (var i = 0; i < options.Workers; i++)
        {
            names.Add($"{ClusterName}-md-{i}");
            await capi.CreateMachineAsync(names[^1], controlPlane: false, firstControlPlane: false, ct).ConfigureAwait(false);
        }

        await WaitAsync($"all {names.Count} machines provisioned", () => ProvisionedAsync(names, ct), clock, ct).ConfigureAwait(false);
        await PrintTablesAsync(ct).ConfigureAwait(false);
        if (options.Teardown)
        {
            foreach (var name in names)
            {
                await capi.DeleteMachineAsync(name, ct).ConfigureAwait(false);
            }

            await WaitAsync("cluster deleted, every host reset and Available again", async () =>
            {
                var machines = await lab.MachinesAsync(ct).ConfigureAwait(false);
                var hosts = await lab.HostsAsync(ct).ConfigureAwait(false);
                return machines.Count == 0 && hosts.All(h => h.Status?.State == HostState.Available && h.Status.Claim is null);
            }, clock, ct).ConfigureAwait(false);
            await PrintTablesAsync(ct).ConfigureAwait(false);
        }

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"lab: done in {clock.Elapsed.TotalSeconds:0.0} s")).ConfigureAwait(false);
        return 0;
    }

    private async Task<bool> ProvisionedAsync(IReadOnlyCollection<string> names, CancellationToken ct)
    {
        var machines = await lab.MachinesAsync(ct).ConfigureAwait(false);
        return names.All(n => machines.Any(m => m.Metadata.Name == n && m.Status?.Initialization?.Provisioned == true && m.Spec?.ProviderId is not null));
    }

    // Polls every 100 ms and prints a progress line each second; fails the run at the lab's timeout.
    private async Task WaitAsync(string what, Func<Task<bool>> done, Stopwatch clock, CancellationToken ct)
    {
        await output.WriteLineAsync($"lab: waiting for {what}").ConfigureAwait(false);
        var deadline = clock.Elapsed + lab.Options.Timeout;
        var lastPrint = TimeSpan.Zero;
        while (!await done().ConfigureAwait(false))
        {
            if (clock.Elapsed > deadline)
            {
                await PrintTablesAsync(ct).ConfigureAwait(false);
                throw new TimeoutException($"timed out after {lab.Options.Timeout.TotalSeconds:0} s waiting for {what}");
            }

            if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(1))
            {
                lastPrint = clock.Elapsed;
                await output.WriteLineAsync(await ProgressAsync(clock, ct).ConfigureAwait(false)).ConfigureAwait(false);
            }

            await Task.Delay(100, ct).ConfigureAwait(false);
        }
    }

    private async Task<string> ProgressAsync(Stopwatch clock, CancellationToken ct)
    {
        var hosts = await lab.HostsAsync(ct).ConfigureAwait(false);
        var machines = await lab.MachinesAsync(ct).ConfigureAwait(false);
        var hostStates = string.Join(' ', hosts.GroupBy(h => h.Status?.State?.ToApiString() ?? "New").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"));
        var phases = string.Join(' ', machines.GroupBy(m => m.Status?.Phase?.ToString() ?? "New").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"));
        return string.Create(CultureInfo.InvariantCulture, $"  [{clock.Elapsed.TotalSeconds,6:0.0}s] hosts: {hostStates}  machines: {(phases.Length == 0 ? "-" : phases)}");
    }

    private async Task PrintTablesAsync(CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow;
        await output.WriteLineAsync().ConfigureAwait(false);
        ObjectPrinter.PrintTable(output, HostTable.Headers, (await lab.HostsAsync(ct).ConfigureAwait(false)).Select(h => HostTable.Row(h, now)).ToList());
        await output.WriteLineAsync().ConfigureAwait(false);
        var machines = await lab.MachinesAsync(ct).ConfigureAwait(false);
        if (machines.Count > 0)
        {
            ObjectPrinter.PrintTable(output, MachineTable.Headers, machines.Select(m => MachineTable.Row(m, now)).ToList());
            await output.WriteLineAsync().ConfigureAwait(false);
        }
    }
}
