using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;
using NSubstitute;

namespace ImmutableInfra.Agent.Tests.Coordination;

public sealed class ConvergenceTests : IDisposable
{
    private const string KubeadmJoin = "kubeadm join --config /etc/kubernetes/kubeadm-join-config.yaml";
    private readonly TestHost _host = new();

    public void Dispose() => _host.Dispose();

    private static bool IsFinal(ObservedState state, long generation, HostPhase phase) => state.AckedGeneration == generation && state.Phase == phase;

    private static async Task<FakeCoordinator> CoordinatorWithBootstrapDataAsync()
    {
        var coordinator = await FakeCoordinator.StartAsync();
        coordinator.ServeBootstrapData(Desired.MachineUid, Desired.CloudConfig);
        return coordinator;
    }

    [Fact]
    public async Task Provision_CloudConfig_StreamsProgressAcknowledgesAndReportsProvisioned()
    {
        await using var coordinator = await CoordinatorWithBootstrapDataAsync();
        var runner = new GatedCommandRunner(_host.Root) { HoldOn = KubeadmJoin };
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address, runner);
        await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the stream is open");

        await coordinator.SetDesiredAsync(Desired.Provision(1));

        await Eventually.TrueAsync(() => coordinator.States.Any(s => s.Bootstrap?.Step == 3), "the running step is reported");
        var running = coordinator.States.First(s => s.Bootstrap?.Step == 3);
        Assert.Equal((HostPhase.Provisioning, 0L, 4u, "runcmd 2"), (running.Phase, running.AckedGeneration, running.Bootstrap.TotalSteps, running.Bootstrap.StepName));
        Assert.Equal("connected, provisioning step 3/4", agent.Status);
        runner.Release();
        await Eventually.TrueAsync(() => coordinator.States.Any(s => IsFinal(s, 1, HostPhase.Provisioned)), "generation 1 is acknowledged as provisioned");
        var states = coordinator.States.ToList();
        var steps = states.TakeWhile(s => s.Phase == HostPhase.Provisioning).Select(s => s.Bootstrap.Step).ToList();
        Assert.Equal(steps.Order(), steps);
        var final = states.Single(s => IsFinal(s, 1, HostPhase.Provisioned));
        Assert.True(final.Bootstrap.Complete);
        Assert.Equal(Desired.MachineUid, final.Bootstrap.MachineUid);
        Assert.Empty(final.FailureReason);
        Assert.Equal(["/bin/sh -c echo preparing", "/bin/sh -c " + KubeadmJoin, "/bin/sh -c echo success > /run/cluster-api/bootstrap-success.complete"], runner.CompletedSnapshot());
        Assert.Contains("nodeName: prod-md-0-x7k2p", File.ReadAllText(_host.HostFile("/etc/kubernetes/kubeadm-join-config.yaml")), StringComparison.Ordinal);
        Assert.Equal(1, coordinator.BootstrapFetches);
        await Eventually.TrueAsync(() => agent.Status == "connected, provisioned", "STATUS= shows the result");
        Assert.Contains("connected, provisioning step 1/4", agent.Notifier.Statuses);
        Assert.DoesNotContain(agent.Logs.Lines, l => l.Contains(Desired.SecretMarker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NewGeneration_ForTheMachineAlreadyProvisioned_IsAcknowledgedWithoutFetchingOrRunningAgain()
    {
        await using var coordinator = await CoordinatorWithBootstrapDataAsync();
        var runner = new GatedCommandRunner(_host.Root);
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address, runner);
        await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the stream is open");
        await coordinator.SetDesiredAsync(Desired.Provision(1));
        await Eventually.TrueAsync(() => coordinator.States.Any(s => IsFinal(s, 1, HostPhase.Provisioned)), "generation 1 provisioned");
        var ran = runner.CompletedSnapshot().Count;

        // What the coordinator sends when a control-plane peer joins: the same Provision, a new generation.
        await coordinator.SetDesiredAsync(Desired.Provision(2));

        await Eventually.TrueAsync(() => coordinator.States.Any(s => IsFinal(s, 2, HostPhase.Provisioned)), "generation 2 acknowledged");
        Assert.Equal(1, coordinator.BootstrapFetches);
        Assert.Equal(ran, runner.CompletedSnapshot().Count);
        Assert.DoesNotContain(coordinator.States.SkipWhile(s => !IsFinal(s, 1, HostPhase.Provisioned)), s => s.Phase == HostPhase.Provisioning);
    }

    [Fact]
    public async Task Provision_DataNotMatchingItsHash_FailsAndWaitsForANewGeneration()
    {
        await using var coordinator = await FakeCoordinator.StartAsync();
        coordinator.ServeBootstrapData(Desired.MachineUid, "#cloud-config\nruncmd:\n  - echo tampered\n"u8.ToArray());
        var runner = new GatedCommandRunner(_host.Root);
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address, runner);
        await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the stream is open");

        await coordinator.SetDesiredAsync(Desired.Provision(1));

        await Eventually.TrueAsync(() => coordinator.States.Any(s => IsFinal(s, 1, HostPhase.Failed)), "generation 1 fails");
        Assert.Equal("bootstrap data does not match the provision's bootstrap_data_sha256", coordinator.States.Last().FailureReason);
        Assert.Empty(runner.CompletedSnapshot());

        // The same generation again is not retried; a new one is executed.
        await coordinator.SetDesiredAsync(Desired.Provision(1));
        await coordinator.SetDesiredAsync(Desired.Idle(2));
        await Eventually.TrueAsync(() => coordinator.States.Any(s => IsFinal(s, 2, HostPhase.Idle)), "generation 2 is acknowledged");
        Assert.Equal(1, coordinator.BootstrapFetches);
    }

    [Fact]
    public async Task NewerGeneration_WhileBootstrapStepsRun_FinishesThenConvergesToTheNewest()
    {
        await using var coordinator = await CoordinatorWithBootstrapDataAsync();
        var runner = new GatedCommandRunner(_host.Root) { HoldOn = KubeadmJoin };
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address, runner);
        await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the stream is open");
        await coordinator.SetDesiredAsync(Desired.Provision(1));
        await runner.Held.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await coordinator.SetDesiredAsync(Desired.Idle(2));
        await coordinator.SetDesiredAsync(Desired.Reset(3));
        runner.Release();

        await Eventually.TrueAsync(() => coordinator.States.Any(s => IsFinal(s, 3, HostPhase.Idle)), "generation 3 is acknowledged");
        // State is synced latest-wins: when generation 3 follows at once, the report of generation 1's
        // outcome may be superseded before it is sent. What must hold: generation 1 ran to the end, 2
        // was skipped, any report of 1 says Provisioned, and the host ends at 3, Idle.
        var acknowledged = coordinator.States.Select(s => (s.AckedGeneration, s.Phase)).Distinct().Where(a => a.Phase != HostPhase.Provisioning && a.Phase != HostPhase.Resetting).ToList();
        Assert.Equal((3L, HostPhase.Idle), acknowledged[^1]);
        Assert.DoesNotContain(acknowledged, a => a.AckedGeneration == 2);
        Assert.All(acknowledged.Where(a => a.AckedGeneration == 1), a => Assert.Equal(HostPhase.Provisioned, a.Phase));
        Assert.Contains("/bin/sh -c echo success > /run/cluster-api/bootstrap-success.complete", runner.CompletedSnapshot());
    }

    [Fact]
    public async Task NewerGeneration_WhileBootstrapDataIsUnavailable_SupersedesTheProvision()
    {
        await using var coordinator = await FakeCoordinator.StartAsync();
        var runner = new GatedCommandRunner(_host.Root);
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address, runner);
        await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the stream is open");
        await coordinator.SetDesiredAsync(Desired.Provision(1));
        await Eventually.TrueAsync(() => coordinator.BootstrapFetches >= 2, "the fetch is retried while the Secret does not exist");
        Assert.Contains(agent.Notifier.Statuses, s => s.Contains("fetching bootstrap data, retrying in", StringComparison.Ordinal) && s.Contains("NotFound", StringComparison.Ordinal));

        await coordinator.SetDesiredAsync(Desired.Idle(2));

        await Eventually.TrueAsync(() => coordinator.States.Any(s => IsFinal(s, 2, HostPhase.Idle)), "generation 2 is acknowledged");
        Assert.DoesNotContain(coordinator.States, s => s.AckedGeneration == 1);
        Assert.Empty(runner.CompletedSnapshot());
    }

    [Fact]
    public async Task Sync_ServerRestartsMidProvision_ResumesWithoutRepeatingSteps()
    {
        await using var coordinator = await CoordinatorWithBootstrapDataAsync();
        var runner = new GatedCommandRunner(_host.Root) { HoldOn = KubeadmJoin };
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address, runner);
        await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the stream is open");
        await coordinator.SetDesiredAsync(Desired.Provision(1));
        await runner.Held.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await coordinator.RestartAsync();
        await Eventually.TrueAsync(() => coordinator.Hellos.Count == 2, "the agent reconnects to the restarted coordinator");
        var resumed = coordinator.Hellos.Last().State;
        runner.Release();

        Assert.Equal(HostPhase.Provisioning, resumed.Phase);
        Assert.Equal(0, resumed.AckedGeneration);
        Assert.Equal(3u, resumed.Bootstrap.Step);
        await Eventually.TrueAsync(() => coordinator.States.Any(s => IsFinal(s, 1, HostPhase.Provisioned)), "generation 1 completes");
        Assert.Equal(["/bin/sh -c echo preparing", "/bin/sh -c " + KubeadmJoin, "/bin/sh -c echo success > /run/cluster-api/bootstrap-success.complete"], runner.CompletedSnapshot());
        Assert.Equal(1, coordinator.BootstrapFetches);
        Assert.Contains(agent.Notifier.Statuses, s => s.StartsWith("retrying in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sync_ServerClosesStreamAfterProvision_DoesNotReexecuteAcknowledgedGeneration()
    {
        await using var coordinator = await CoordinatorWithBootstrapDataAsync();
        var runner = new GatedCommandRunner(_host.Root);
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address, runner);
        await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the stream is open");
        await coordinator.SetDesiredAsync(Desired.Provision(1));
        await Eventually.TrueAsync(() => coordinator.States.Any(s => IsFinal(s, 1, HostPhase.Provisioned)), "generation 1 completes");
        var commands = runner.CompletedSnapshot().Count;

        coordinator.DropStreams();
        await Eventually.TrueAsync(() => coordinator.Hellos.Count == 2 && coordinator.OpenStreams == 1, "the agent reconnects");
        // The coordinator resent generation 1 after the hello; an inventory request behind it proves the agent has read it.
        await coordinator.SendAsync(new CoordinatorMessage { InventoryRequest = new InventoryRequest() });
        await Eventually.TrueAsync(() => coordinator.Messages.Any(m => m.Inventory is not null), "the inventory request is answered");

        var hello = coordinator.Hellos.Last();
        Assert.Equal(1, hello.State.AckedGeneration);
        Assert.Equal(HostPhase.Provisioned, hello.State.Phase);
        Assert.Equal(commands, runner.CompletedSnapshot().Count);
        Assert.Equal(1, coordinator.BootstrapFetches);
    }

    [Fact]
    public async Task Agent_RestartedAfterProvision_DoesNotRepeatAcknowledgedGeneration()
    {
        await using var coordinator = await CoordinatorWithBootstrapDataAsync();
        await using (var first = await AgentUnderTest.StartAsync(_host, coordinator.Address))
        {
            await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the stream is open");
            await coordinator.SetDesiredAsync(Desired.Provision(1));
            await Eventually.TrueAsync(() => coordinator.States.Any(s => IsFinal(s, 1, HostPhase.Provisioned)), "generation 1 completes");
        }

        var runner = new GatedCommandRunner(_host.Root);
        await using var second = await AgentUnderTest.StartAsync(_host, coordinator.Address, runner);
        await Eventually.TrueAsync(() => coordinator.Hellos.Count == 2 && coordinator.OpenStreams == 1, "the restarted agent connects");
        await coordinator.SendAsync(new CoordinatorMessage { InventoryRequest = new InventoryRequest() });
        await Eventually.TrueAsync(() => coordinator.Messages.Any(m => m.Inventory is not null), "the inventory request is answered");

        var hello = coordinator.Hellos.Last();
        Assert.Equal(1, hello.State.AckedGeneration);
        Assert.Equal(HostPhase.Provisioned, hello.State.Phase);
        Assert.True(hello.State.Bootstrap.Complete);
        Assert.Empty(runner.CompletedSnapshot());
        Assert.Equal(1, coordinator.BootstrapFetches);
        Assert.Single(coordinator.Registrations);
        await Eventually.TrueAsync(() => second.Status == "connected, provisioned", "STATUS= shows the remembered result");
    }

    [Fact]
    public async Task Agent_RestartedMidProvision_ResumesAfterTheLastCompletedStep()
    {
        await using var coordinator = await CoordinatorWithBootstrapDataAsync();
        var interrupted = new GatedCommandRunner(_host.Root) { HoldOn = KubeadmJoin };
        await using (var first = await AgentUnderTest.StartAsync(_host, coordinator.Address, interrupted))
        {
            await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the stream is open");
            await coordinator.SetDesiredAsync(Desired.Provision(1));
            await interrupted.Held.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }

        var runner = new GatedCommandRunner(_host.Root);
        await using var second = await AgentUnderTest.StartAsync(_host, coordinator.Address, runner);
        await Eventually.TrueAsync(() => coordinator.States.Any(s => IsFinal(s, 1, HostPhase.Provisioned)), "generation 1 completes after the restart");

        Assert.Equal(["/bin/sh -c echo preparing"], interrupted.CompletedSnapshot());
        Assert.Equal(["/bin/sh -c " + KubeadmJoin, "/bin/sh -c echo success > /run/cluster-api/bootstrap-success.complete"], runner.CompletedSnapshot());
        Assert.Equal(0, coordinator.Hellos.Last().State.AckedGeneration);
    }

    [Fact]
    public async Task Reset_AfterProvision_WipesDataDisksOnlyAndReturnsToIdle()
    {
        await using var coordinator = await CoordinatorWithBootstrapDataAsync();
        var runner = new GatedCommandRunner(_host.Root) { HoldOn = "wipefs" };
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address, runner);
        await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the stream is open");
        await coordinator.SetDesiredAsync(Desired.Provision(1));
        await Eventually.TrueAsync(() => coordinator.States.Any(s => IsFinal(s, 1, HostPhase.Provisioned)), "generation 1 completes");

        await coordinator.SetDesiredAsync(Desired.Reset(2));

        await Eventually.TrueAsync(() => coordinator.States.Any(s => s.Reset?.Step == "wipe"), "the wipe is reported while it runs");
        var wiping = coordinator.States.First(s => s.Reset?.Step == "wipe");
        Assert.Equal((HostPhase.Resetting, 1L, false), (wiping.Phase, wiping.AckedGeneration, wiping.Reset.Complete));
        Assert.Equal("connected, resetting: wipe", agent.Status);
        runner.Release();
        await Eventually.TrueAsync(() => coordinator.States.Any(s => IsFinal(s, 2, HostPhase.Idle)), "generation 2 is acknowledged as idle");
        var resetting = coordinator.States.SkipWhile(s => s.Phase != HostPhase.Resetting).TakeWhile(s => s.Phase == HostPhase.Resetting).ToList();
        Assert.All(resetting, s => Assert.Equal(1, s.AckedGeneration));
        // Quick successive steps may be folded into one message; what arrives comes in order.
        var steps = resetting.Select(s => s.Reset.Step).Where(s => s.Length > 0).Distinct().ToList();
        Assert.Contains("wipe", steps);
        Assert.Equal(new[] { "kubeadm-reset", "remove-state", "wipe" }.Where(steps.Contains), steps);
        var final = coordinator.States.Single(s => IsFinal(s, 2, HostPhase.Idle));
        Assert.True(final.Reset.Complete);
        Assert.Null(final.Bootstrap);
        Assert.Equal(
            [("vda", DiskWipeState.Skipped), ("/dev/disk/by-id/virtio-data-1", DiskWipeState.Done)],
            final.Reset.Disks.Select(d => (d.Disk, d.State)));
        Assert.Contains("/bin/sh -c echo success > /run/cluster-api/bootstrap-success.complete", runner.CompletedSnapshot());
        Assert.Contains("wipefs --all /dev/vdb", runner.CompletedSnapshot());
        Assert.DoesNotContain(runner.CompletedSnapshot(), c => c.Contains("/dev/vda", StringComparison.Ordinal));
        await agent.BlockDevices.Received().ZeroAsync("/dev/vdb", Arg.Any<long>(), Arg.Any<long>(), Arg.Any<IProgress<long>>(), Arg.Any<CancellationToken>());
        Assert.False(File.Exists(_host.HostFile("/run/cluster-api/bootstrap-success.complete")));
        await Eventually.TrueAsync(() => agent.Status == "connected, idle", "STATUS= is idle again");
    }
}
