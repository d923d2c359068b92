using System.Diagnostics;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Lab;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.Coordinator.Tests;

/// <summary>
/// Coordinator replicas stopped and restarted at random moments while 50 machines are provisioned and then
/// deleted. A stop cancels whatever the replica was doing mid-flight (claims, status writes, streams); its
/// agents reconnect to it when it is back on the same port. Every machine must reach its end state, no host
/// may ever serve two machines, and no claim may be left behind. Bounded: at most 40 stops within 90 s, then
/// 2 minutes per phase to converge.
/// </summary>
public sealed class ChaosTests
{
    private const int Machines = 50;
    private static readonly TimeSpan PhaseTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task RandomReplicaStops_DuringProvisioningAndDeletion_EveryMachineEndsWell_NoHostClaimedTwice()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var options = new LabOptions { Hosts = Machines, Coordinators = 2, KubeadmTime = TimeSpan.FromMilliseconds(20), Timeout = PhaseTimeout };
        await using var lab = await LabEnvironment.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        await lab.StartHostsAsync(0, Machines, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await lab.HostsAsync(CancellationToken.None)).Count(h => h.Status?.State == HostState.Available) == Machines,
            PhaseTimeout, "every host Available", CancellationToken.None);
        var ports = lab.Coordinators.Select(c => c.AgentApiAddress.Port).ToList();
        var capi = new ClusterApiSimulator(lab.Api, LabEnvironment.Namespace, "chaos");
        await capi.CreateClusterAsync(CancellationToken.None);
        var names = Enumerable.Range(0, Machines).Select(i => $"chaos-md-{i}").ToList();

        using var stopChaos = new CancellationTokenSource();
        var stops = 0;
        var chaos = Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            while (!stopChaos.IsCancellationRequested && stops < 40 && clock.Elapsed < TimeSpan.FromSeconds(90))
            {
                await Delay(random.Next(300, 2500), stopChaos.Token);
                // Stop one replica (never the last one left), and bring it back on its port a moment later.
                var victim = lab.Coordinators[random.Next(lab.Coordinators.Count)];
                var port = victim.AgentApiAddress.Port;
                await lab.StopCoordinatorAsync(victim);
                stops++;
                await Delay(random.Next(0, 1500), CancellationToken.None);
                await lab.StartCoordinatorAsync(CancellationToken.None, port);
            }
        });
        var violations = new List<string>();
        var sampler = Task.Run(async () =>
        {
            while (!stopChaos.IsCancellationRequested)
            {
                violations.AddRange(Violations(await lab.HostsAsync(CancellationToken.None)));
                await Delay(100, stopChaos.Token);
            }
        });

        try
        {
            await Task.WhenAll(names.Select(n => capi.CreateMachineAsync(n, controlPlane: false, firstControlPlane: false, CancellationToken.None)));
            await WaitAsync(lab, async () => (await lab.MachinesAsync(CancellationToken.None)).Count(m => m.Status?.Initialization?.Provisioned == true) == Machines,
                $"every machine provisioned under chaos (seed {seed})");
            var machines = await lab.MachinesAsync(CancellationToken.None);
            Assert.Equal(Machines, machines.Select(m => m.Status!.HostRef!.Name).Distinct().Count());

            foreach (var name in names)
            {
                await capi.DeleteMachineAsync(name, CancellationToken.None);
            }

            await WaitAsync(lab, async () =>
            {
                var hosts = await lab.HostsAsync(CancellationToken.None);
                return (await lab.MachinesAsync(CancellationToken.None)).Count == 0
                    && hosts.All(h => h.Status?.State == HostState.Available && h.Status.Claim is null);
            }, $"every machine deleted and every host reset and Available (seed {seed})");
        }
        finally
        {
            await stopChaos.CancelAsync();
            await chaos;
            await sampler;
        }

        Assert.True(stops > 0, "the chaos loop stopped no replica");
        Assert.True(violations.Count == 0, $"seed {seed}: " + string.Join("\n", violations.Distinct().Take(20)));
        Assert.Equal(ports.Order(), lab.Coordinators.Select(c => c.AgentApiAddress.Port).Order());
    }

    private static async Task WaitAsync(LabEnvironment lab, Func<Task<bool>> done, string what)
    {
        try
        {
            await Eventually.TrueAsync(done, PhaseTimeout, what, CancellationToken.None);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\n" + await DescribeAsync(lab), e);
        }
    }

    // What did not reach its end state, for the failure message.
    private static async Task<string> DescribeAsync(LabEnvironment lab)
    {
        var hosts = (await lab.HostsAsync(CancellationToken.None)).Where(h => h.Status?.State != HostState.Available || h.Status.Claim is not null)
            .Select(h => $"host {h.Metadata.Name}: {h.Status?.State} claim={h.Status?.Claim?.MachineRef?.Name} released={h.Status?.Claim?.Released} "
                + $"agent={h.Status?.AgentPhase} gen={h.Status?.DesiredGeneration}/{h.Status?.AcknowledgedGeneration} connected={h.Status?.ConnectedTo} "
                + $"agent says '{lab.Hosts.FirstOrDefault(s => h.Metadata.Name!.StartsWith(s.Name + "-", StringComparison.Ordinal))?.Status}'");
        var machines = (await lab.MachinesAsync(CancellationToken.None))
            .Select(m => $"machine {m.Metadata.Name}: deleting={m.Metadata.DeletionTimestamp is not null} finalizers={string.Join(',', m.Metadata.Finalizers ?? [])} "
                + $"host={m.Status?.HostRef?.Name} ready={m.Status?.GetCondition(ConditionTypes.Ready)?.Reason}");
        var replicas = lab.Coordinators.Select(c => $"replica {c.Options.ReplicaId} leader={c.IsLeader}");
        return string.Join("\n", hosts.Concat(machines).Concat(replicas).Take(40));
    }

    // A machine served by two hosts at once is the failure chaos must never cause.
    private static IEnumerable<string> Violations(IReadOnlyList<MachineInventory> hosts) =>
        hosts.Where(h => h.Status?.Claim?.MachineRef?.Uid is not null)
            .GroupBy(h => h.Status!.Claim!.MachineRef!.Uid)
            .Where(g => g.Count() > 1)
            .Select(g => $"machine {g.First().Status!.Claim!.MachineRef!.Name} claimed by {string.Join(", ", g.Select(h => h.Metadata.Name))}");

    private static async Task Delay(int milliseconds, CancellationToken ct)
    {
        try
        {
            await Task.Delay(milliseconds, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
