using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Contract.V1;
using Grpc.Core;
using Grpc.Net.Client;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Lab;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.Coordinator.Tests;

/// <summary>
/// The coordinator end to end: real controllers and agent API against the in-memory API server, with
/// simulated hosts running the real agent over real gRPC.
/// </summary>
public sealed class EndToEndTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Lab_ProvisionsEveryMachine_AndTeardownReturnsEveryHost()
    {
        var options = new LabOptions { Hosts = 6, ControlPlanes = 3, Workers = 2, KubeadmTime = TimeSpan.FromMilliseconds(50), Timeout = Settle };
        await using var lab = await LabEnvironment.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
        using var output = new StringWriter();

        var exit = await new LabRun(lab, output).RunAsync(CancellationToken.None);

        Assert.Equal(0, exit);
        var hosts = await lab.HostsAsync(CancellationToken.None);
        Assert.Equal(6, hosts.Count);
        Assert.All(hosts, h => Assert.Equal(HostState.Available, h.Status?.State));
        // Every host went through a reset: its wipe report says so, and the OS disk was never wiped.
        Assert.Equal(5, hosts.Count(h => h.Status?.Wipe?.Complete == true));
        Assert.DoesNotContain(hosts.SelectMany(h => h.Status?.Wipe?.Disks ?? []), d => d.Disk?.Contains("vda", StringComparison.Ordinal) == true && d.State == Api.V1Beta1.DiskWipeState.Done);
    }

    [Fact]
    public async Task ConcurrentClaims_TwoCoordinatorsWithoutLeaderElection_ClaimEveryHostAtMostOnce()
    {
        const int count = 50;
        var options = new LabOptions { Hosts = count, Coordinators = 2, LeaderElect = false, KubeadmTime = TimeSpan.Zero, Timeout = Settle };
        await using var lab = await LabEnvironment.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        await lab.StartHostsAsync(0, count, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await lab.HostsAsync(CancellationToken.None)).Count(h => h.Status?.State == HostState.Available) == count,
            Settle, "every host Available", CancellationToken.None);
        var capi = new ClusterApiSimulator(lab.Api, LabEnvironment.Namespace, "race");
        await capi.CreateClusterAsync(CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, count).Select(i => capi.CreateMachineAsync($"race-md-{i}", controlPlane: false, firstControlPlane: false, CancellationToken.None)));

        await Eventually.TrueAsync(async () => (await lab.MachinesAsync(CancellationToken.None)).Count(m => m.Status?.Initialization?.Provisioned == true) == count,
            Settle, "every machine provisioned", CancellationToken.None);
        var machines = await lab.MachinesAsync(CancellationToken.None);
        var hosts = await lab.HostsAsync(CancellationToken.None);
        Assert.Equal(count, machines.Select(m => m.Status!.HostRef!.Name).Distinct().Count());
        Assert.Equal(count, hosts.Count(h => h.Status?.Claim is not null));
        Assert.Equal(count, hosts.Select(h => h.Status!.Claim!.MachineRef!.Uid).Distinct().Count());
        Assert.All(machines, m => Assert.Equal($"baremetal://{LabEnvironment.Namespace}/{m.Status!.HostRef!.Name}", m.Spec!.ProviderId));
    }

    [Fact]
    public async Task Delivery_ReadsEachBootstrapSecretOnce_ReservesWithTheFinalizer_AndEventsArriveOncePerTransition()
    {
        const int count = 5;
        var options = new LabOptions { Hosts = count, KubeadmTime = TimeSpan.Zero, Timeout = Settle };
        await using var lab = await LabEnvironment.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        await lab.StartHostsAsync(0, count, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await lab.HostsAsync(CancellationToken.None)).Count(h => h.Status?.State == HostState.Available) == count,
            Settle, "every host Available", CancellationToken.None);
        var secretGets = new KubeApiServer.ApiAccess(LabEnvironment.CoordinatorToken, "get", string.Empty, "secrets", LabEnvironment.Namespace);
        var before = lab.Server.AccessLog.Count(secretGets);
        var capi = new ClusterApiSimulator(lab.Api, LabEnvironment.Namespace, "economy");
        await capi.CreateClusterAsync(CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, count).Select(i => capi.CreateMachineAsync($"economy-md-{i}", controlPlane: false, firstControlPlane: false, CancellationToken.None)));
        await Eventually.TrueAsync(async () => (await lab.MachinesAsync(CancellationToken.None)).Count(m => m.Status?.Initialization?.Provisioned == true) == count,
            Settle, "every machine provisioned", CancellationToken.None);

        // One read per machine: the bytes hashed for the Provision are the ones its agent fetches, handed over by
        // the host's stream instead of read again.
        Assert.Equal(count, lab.Server.AccessLog.Count(secretGets) - before);
        // Each machine names the host it holds in the reservation that came with its finalizer.
        Assert.All(await lab.MachinesAsync(CancellationToken.None), m =>
        {
            Assert.Equal(m.Status!.HostRef!.Name, m.Metadata.Annotations![Coordinator.Controllers.MachineConditions.ReservedHostAnnotation]);
            Assert.Contains(Coordinator.Controllers.MachineConditions.MachineFinalizer, m.Metadata.Finalizers!);
        });
        // Events are sent from a queue, after the writes that matter; they still all arrive, one per transition.
        async Task<List<string>> TransitionsAsync() =>
            [.. (await lab.Api.Resource(KubeResources.Events).ListAsync(LabEnvironment.Namespace, cancellationToken: CancellationToken.None)).Items
                .Where(e => e.InvolvedObject?.Kind == "BaremetalMachine" && e.Reason is Coordinator.Controllers.MachineConditions.Claimed or Coordinator.Controllers.MachineConditions.Provisioned)
                .Select(e => $"{e.InvolvedObject!.Name} {e.Reason}")];
        await Eventually.TrueAsync(async () => (await TransitionsAsync()).Count >= 2 * count, Settle, "a Claimed and a Provisioned event per machine", CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // Room for a duplicate still in the event queue to show.
        var transitions = await TransitionsAsync();
        Assert.Equal(2 * count, transitions.Distinct().Count());
        Assert.Equal(2 * count, transitions.Count);
    }

    [Fact]
    public async Task AgentApi_RejectsWrongPoolToken_AndAnotherHostsCredential()
    {
        await using var lab = await LabEnvironment.StartAsync(new LabOptions { Hosts = 2, Timeout = Settle }, NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        using var channel = GrpcChannel.ForAddress(lab.Coordinators[0].AgentApiAddress);
        var client = new AgentService.AgentServiceClient(channel);
        var identity = new Contract.V1.HostIdentity { SystemUuid = "0a0b0c0d-0000-4000-8000-000000000001", Hostname = "intruder" };

        var wrongToken = await Assert.ThrowsAsync<RpcException>(() => client.RegisterAsync(
            new RegisterRequest { Pool = $"{LabEnvironment.Namespace}/{LabEnvironment.PoolName}", RegistrationToken = "not-the-token", Identity = identity }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, wrongToken.StatusCode);

        var first = await client.RegisterAsync(new RegisterRequest { Pool = $"{LabEnvironment.Namespace}/{LabEnvironment.PoolName}", RegistrationToken = lab.PoolToken, Identity = identity }).ResponseAsync;
        var second = await client.RegisterAsync(new RegisterRequest
        {
            Pool = $"{LabEnvironment.Namespace}/{LabEnvironment.PoolName}",
            RegistrationToken = lab.PoolToken,
            Identity = new Contract.V1.HostIdentity { SystemUuid = "0a0b0c0d-0000-4000-8000-000000000002", Hostname = "other" },
        }).ResponseAsync;
        Assert.NotEqual(first.InventoryName, second.InventoryName);

        // The first host's credential, naming the second host's record on the stream.
        var headers = new Metadata { { "authorization", "Bearer " + first.Credential } };
        using var call = client.Sync(new CallOptions(headers, DateTime.UtcNow.AddSeconds(10)));
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new SyncHello { Namespace = second.Namespace, InventoryName = second.InventoryName } });
        var denied = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        // Nor may it fetch bootstrap data of a machine that did not claim it.
        var fetch = await Assert.ThrowsAsync<RpcException>(() => client.FetchBootstrapDataAsync(
            new FetchBootstrapDataRequest { MachineUid = "some-other-machine" }, new CallOptions(headers)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, fetch.StatusCode);

        // A made-up credential is not a credential at all.
        var forged = new Metadata { { "authorization", $"Bearer iih1.{second.Namespace}.{second.InventoryName}.forged" } };
        var unauthenticated = await Assert.ThrowsAsync<RpcException>(() => client.FetchBootstrapDataAsync(
            new FetchBootstrapDataRequest { MachineUid = "x" }, new CallOptions(forged)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);
    }

    [Fact]
    public async Task AHostOfAReplicaThatDiedWithoutAWord_GoesOffline_WhenTheReplicasLeaseRunsOut()
    {
        var options = new LabOptions { Hosts = 1, OfflineGracePeriod = TimeSpan.FromSeconds(2), Timeout = Settle };
        await using var lab = await LabEnvironment.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        await lab.StartHostsAsync(0, 1, CancellationToken.None);
        var hosts = lab.Api.Resource(InfrastructureResources.MachineInventories);
        await Eventually.TrueAsync(async () => (await lab.HostsAsync(CancellationToken.None)).SingleOrDefault()?.Status?.State == HostState.Available,
            Settle, "the host Available", CancellationToken.None);

        // A replica "ghost" served the host and crashed: its Lease is not deleted, it just stops being renewed,
        // which no watch event announces.
        var now = DateTimeOffset.UtcNow;
        await lab.Api.Resource(KubeResources.Leases).CreateAsync(new Lease
        {
            ApiVersion = KubeResources.Leases.ApiVersion,
            Kind = KubeResources.Leases.Kind,
            Metadata = new ObjectMeta
            {
                Name = Caching.ReplicaLeases.LeaseName("ghost"), Namespace = LabEnvironment.CoordinatorNamespace, Labels = new() { [Caching.ReplicaLeases.Label] = "true" },
            },
            Spec = new LeaseSpec { HolderIdentity = "ghost", LeaseDurationSeconds = 2, AcquireTime = now, RenewTime = now },
        });
        await lab.Hosts[0].StopAsync();
        await Eventually.TrueAsync(async () => string.IsNullOrEmpty((await lab.HostsAsync(CancellationToken.None))[0].Status?.ConnectedTo),
            Settle, "the real replica to see the stream end", CancellationToken.None);
        var host = (await lab.HostsAsync(CancellationToken.None))[0];
        host.Status!.ConnectedTo = "ghost";
        host.Status.LastSeen = DateTimeOffset.UtcNow;
        host.Status.State = HostState.Available;
        await hosts.UpdateStatusAsync(host);

        await Eventually.TrueAsync(async () => (await lab.HostsAsync(CancellationToken.None))[0].Status?.State == HostState.Offline,
            TimeSpan.FromSeconds(20), "the host Offline once the ghost's Lease expired and the grace period passed", CancellationToken.None);
    }

    [Fact]
    public async Task BadSpecs_GetAConditionWithAReason_AndMissingPoolWaits()
    {
        await using var lab = await LabEnvironment.StartAsync(new LabOptions { Hosts = 1, Timeout = Settle }, NullLoggerFactory.Instance, CancellationToken.None);
        var clusters = lab.Api.Resource(InfrastructureResources.BaremetalClusters);

        // The CRD's pattern refuses what is not made of address characters (422, as a real server does); a VIP that
        // passes it but is no address is the coordinator's to report.
        await clusters.CreateAsync(new BaremetalCluster
        {
            ApiVersion = InfrastructureResources.BaremetalClusters.ApiVersion,
            Kind = InfrastructureResources.BaremetalClusters.Kind,
            Metadata = new ObjectMeta { Name = "bad-vip", Namespace = LabEnvironment.Namespace },
            Spec = new BaremetalClusterSpec { ControlPlaneLoadBalancer = new ControlPlaneLoadBalancer { Type = LoadBalancerType.Internal, Vip = "999.0.0.1", Vrid = 7 } },
        });
        await Eventually.TrueAsync(async () => (await clusters.GetAsync(LabEnvironment.Namespace, "bad-vip")).Status?.GetCondition(ConditionTypes.Ready) is
            { Status: ConditionStatus.False, Reason: "InvalidSpec" } c && c.Message!.Contains("999.0.0.1", StringComparison.Ordinal),
            Settle, "InvalidSpec on the cluster", CancellationToken.None);

        // No pool exists: the machine waits with a reason instead of failing.
        var capi = new ClusterApiSimulator(lab.Api, LabEnvironment.Namespace, "nopool");
        await capi.CreateClusterAsync(CancellationToken.None);
        await capi.CreateMachineAsync("nopool-md-0", controlPlane: false, firstControlPlane: false, CancellationToken.None);
        var machines = lab.Api.Resource(InfrastructureResources.BaremetalMachines);
        await Eventually.TrueAsync(async () => (await machines.GetAsync(LabEnvironment.Namespace, "nopool-md-0")).Status?.GetCondition(ConditionTypes.Ready)?.Reason == "PoolNotFound",
            Settle, "PoolNotFound on the machine", CancellationToken.None);

        // The second cluster on the same vrid as a valid one is flagged as a conflict; the first stays ready.
        var good = lab.Api.Resource(InfrastructureResources.BaremetalClusters);
        var nopool = await good.GetAsync(LabEnvironment.Namespace, "nopool");
        Assert.Equal(ClusterApiSimulator.Vrid, nopool.Spec!.ControlPlaneLoadBalancer!.Vrid);
        var rival = new ClusterApiSimulator(lab.Api, LabEnvironment.Namespace, "rival");
        await rival.CreateClusterAsync(CancellationToken.None);
        await Eventually.TrueAsync(async () => (await clusters.GetAsync(LabEnvironment.Namespace, "rival")).Status?.GetCondition(ConditionTypes.Ready)?.Reason == "Conflict",
            Settle, "Conflict on the newer cluster", CancellationToken.None);
        await Eventually.TrueAsync(async () => (await clusters.GetAsync(LabEnvironment.Namespace, "nopool")).Status?.Ready == true,
            Settle, "the older cluster ready", CancellationToken.None);
    }
}
