using System.Diagnostics;
using System.Net;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Coordinator.AgentApi;
using Grpc.Core;
using Grpc.Net.Client;
using ImmutableInfra.KubeApiServer;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Lab;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;
using static ImmutableInfra.Coordinator.Tests.AgentApi.HostIdentityTests;

namespace ImmutableInfra.Coordinator.Tests.AgentApi;

/// <summary>
/// The bounds of Register and Sync through the real agent API: oversized requests refused before any write, names that
/// never refuse an innocent host, rate limits a flood of bad tokens cannot turn against good hosts, and a bounded
/// number of API writes per host whatever it sends.
/// </summary>
public sealed class RegistrationLimitsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AnOversizedRegistration_IsRefusedNamingTheLimit_AndLeavesNoRecord()
    {
        await using var lab = await LabEnvironment.StartAsync(new LabOptions { Hosts = 1, Timeout = Settle }, NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        using var channel = GrpcChannel.ForAddress(lab.Coordinators[0].AgentApiAddress, new GrpcChannelOptions { MaxSendMessageSize = 64 << 20 });
        var client = new AgentService.AgentServiceClient(channel);
        var disks = Register(lab.PoolToken!, Identity(10));
        disks.Inventory = new Contract.V1.HostInventory();
        disks.Inventory.Disks.AddRange(Enumerable.Range(0, 10_000).Select(i => new Contract.V1.DiskInfo { Name = $"sd{i}", SizeBytes = 1 << 30 }));
        var longName = Register(lab.PoolToken!, Identity(11, hostname: new string('a', 5000)));

        var tooMany = await Assert.ThrowsAsync<RpcException>(() => client.RegisterAsync(disks).ResponseAsync);
        var tooLong = await Assert.ThrowsAsync<RpcException>(() => client.RegisterAsync(longName).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, tooMany.StatusCode);
        Assert.Contains("inventory.disks: 10000 entries; the limit is 512", tooMany.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.InvalidArgument, tooLong.StatusCode);
        Assert.Contains("identity.hostname", tooLong.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(await lab.HostsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AMissingPool_AndAWrongToken_GetTheSameAnswer()
    {
        await using var lab = await LabEnvironment.StartAsync(new LabOptions { Hosts = 1, Timeout = Settle }, NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        using var channel = GrpcChannel.ForAddress(lab.Coordinators[0].AgentApiAddress);
        var client = new AgentService.AgentServiceClient(channel);
        var missingPool = Register(lab.PoolToken!, Identity(12));
        missingPool.Pool = $"{LabEnvironment.Namespace}/no-such-pool";

        var missing = await Assert.ThrowsAsync<RpcException>(() => client.RegisterAsync(missingPool).ResponseAsync);
        var wrong = await Assert.ThrowsAsync<RpcException>(() => client.RegisterAsync(Register("not-the-token", Identity(12))).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Equal(wrong.StatusCode, missing.StatusCode);
        Assert.Equal(wrong.Status.Detail, missing.Status.Detail);
    }

    [Fact]
    public async Task ANameHeldByAnotherIdentity_IsNoRefusal_TheHostGetsTheNextName()
    {
        await using var lab = await LabEnvironment.StartAsync(new LabOptions { Hosts = 1, Timeout = Settle }, NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        var identity = Identity(13);
        var squatted = InventoryNames.For("localhost", identity.SystemUuid, [identity.Macs[0]]);
        await lab.Api.Resource(InfrastructureResources.MachineInventories).CreateAsync(new MachineInventory
        {
            ApiVersion = InfrastructureResources.MachineInventories.ApiVersion,
            Kind = InfrastructureResources.MachineInventories.Kind,
            Metadata = new ObjectMeta { Name = squatted, Namespace = LabEnvironment.Namespace },
            Spec = new MachineInventorySpec
            {
                Identity = new Api.V1Beta1.HostIdentity { SystemUuid = "5a5a5a5a-0000-4000-8000-000000000001" },
                PoolRef = new LocalObjectReference { Name = LabEnvironment.PoolName },
            },
        });
        using var channel = GrpcChannel.ForAddress(lab.Coordinators[0].AgentApiAddress);
        var client = new AgentService.AgentServiceClient(channel);

        var response = await client.RegisterAsync(Register(lab.PoolToken!, identity)).ResponseAsync;

        Assert.Equal(InventoryNames.For("localhost", identity.SystemUuid, [identity.Macs[0]], attempt: 1), response.InventoryName);
        Assert.Equal(identity.SystemUuid, (await HostAsync(lab, response.InventoryName)).Spec!.Identity!.SystemUuid);
    }

    [Fact]
    public async Task TenThousandHostsNamedLocalhost_AllEnroll_UnderDistinctNames()
    {
        const int count = 10_000;
        // The agent API alone (no controllers reconciling each new host), its rate limits out of the way: what is under
        // test is that no name refuses a host, not how fast one address may register.
        var options = new LabOptions
        {
            Hosts = 1, Timeout = Settle,
            Coordinator = o => o with
            {
                RunControllers = false, RegistrationsPerSecond = 100_000, RegistrationBurst = 100_000,
                RegistrationsPerSecondPerSource = 100_000, RegistrationBurstPerSource = 100_000,
            },
        };
        await using var lab = await LabEnvironment.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
        var pool = new MachineInventoryPool
        {
            ApiVersion = InfrastructureResources.MachineInventoryPools.ApiVersion,
            Kind = InfrastructureResources.MachineInventoryPools.Kind,
            Metadata = new ObjectMeta { Name = LabEnvironment.PoolName, Namespace = LabEnvironment.Namespace },
            Spec = new MachineInventoryPoolSpec { Registration = new PoolRegistration { AutoApprove = true } },
        };
        await lab.Api.Resource(InfrastructureResources.MachineInventoryPools).CreateAsync(pool);
        var token = PoolTokens.NewToken();
        await lab.Api.Resource(KubeResources.Secrets).CreateAsync(Coordinator.Controllers.MachineInventoryPoolController.TokenSecret(pool, PoolTokens.SecretName(pool), token));
        await Eventually.TrueAsync(() => Task.FromResult(lab.Coordinators[0].Caches.PoolCache.Get(LabEnvironment.Namespace, LabEnvironment.PoolName) is not null),
            Settle, "the pool in the coordinator's cache", CancellationToken.None);
        using var channel = GrpcChannel.ForAddress(lab.Coordinators[0].AgentApiAddress);
        var client = new AgentService.AgentServiceClient(channel);
        var clock = Stopwatch.StartNew();
        var names = new string[count];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = deadline.Token }, async (i, ct) =>
        {
            var response = await client.RegisterAsync(Register(token, Identity(100_000 + i)), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: ct)).ResponseAsync;
            names[i] = response.InventoryName;
        });

        output.WriteLine($"{count} registrations in {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.StartsWith("localhost-", n, StringComparison.Ordinal));
        Assert.Equal(count, (await lab.HostsAsync(CancellationToken.None)).Count(h => h.Status?.CredentialHash is not null));
    }

    [Fact]
    public async Task AFloodOfWrongTokensFromOneAddress_DoesNotDelayAGoodHostOnAnother()
    {
        // Production's shared budget and per-source budget; dual-stack, so the flood (from ::1) and the good host
        // (from 127.0.0.1) are two sources on one machine.
        var options = new LabOptions
        {
            Hosts = 1, Timeout = Settle,
            Coordinator = o => o with
            {
                AgentApiEndpoint = new IPEndPoint(IPAddress.IPv6Any, 0), RegistrationsPerSecond = 50, RegistrationBurst = 200,
                RegistrationsPerSecondPerSource = 10, RegistrationBurstPerSource = 50,
            },
        };
        await using var lab = await LabEnvironment.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        var port = lab.Coordinators[0].AgentApiAddress.Port;
        using var attackerChannel = GrpcChannel.ForAddress(new Uri($"http://[::1]:{port}"));
        using var hostChannel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{port}"));
        var attacker = new AgentService.AgentServiceClient(attackerChannel);
        var host = new AgentService.AgentServiceClient(hostChannel);
        var baseline = await TimeRegistrationAsync(host, lab.PoolToken!, 200);

        // 2,000 wrong-token Registers as fast as 32 concurrent calls go (about a second), while the good host registers:
        // on its first attempt, so not even one backoff step later (a refusal would throw here).
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var codes = new System.Collections.Concurrent.ConcurrentDictionary<StatusCode, int>();
        var floodClock = Stopwatch.StartNew();
        var flood = Parallel.ForAsync(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = stop.Token }, async (i, ct) =>
        {
            try
            {
                await attacker.RegisterAsync(Register("wrong-token", Identity(200_000 + i)), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: ct)).ResponseAsync;
            }
            catch (RpcException e)
            {
                codes.AddOrUpdate(e.StatusCode, 1, (_, n) => n + 1);
            }
        });
        await Task.Delay(200);
        var during = await TimeRegistrationAsync(host, lab.PoolToken!, 300);
        await flood;
        var rate = 2000 / floodClock.Elapsed.TotalSeconds;

        output.WriteLine($"good host registration: {baseline.TotalMilliseconds:0.0} ms alone, {during.TotalMilliseconds:0.0} ms during a flood of {rate:0} wrong-token Registers/s; "
            + $"flood answers: {string.Join(", ", codes.Select(c => $"{c.Key} {c.Value}"))}");
        Assert.Equal(2000, codes.Values.Sum());
        Assert.True(codes.GetValueOrDefault(StatusCode.ResourceExhausted) > 1000, "the flood's source is throttled");
        Assert.Equal(0, codes.GetValueOrDefault(StatusCode.OK));
    }

    [Fact]
    public async Task AHostSendingThousandsOfChangingStates_CostsABoundedNumberOfWrites_AndTheLatestIsKept()
    {
        await using var lab = await LabEnvironment.StartAsync(new LabOptions { Hosts = 1, Timeout = Settle }, NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        using var channel = GrpcChannel.ForAddress(lab.Coordinators[0].AgentApiAddress);
        var client = new AgentService.AgentServiceClient(channel);
        var enrolled = await client.RegisterAsync(Register(lab.PoolToken!, Identity(14))).ResponseAsync;
        var statusWrites = new ApiAccess(LabEnvironment.CoordinatorToken, "update", InfrastructureResources.MachineInventories.Group, "machineinventories/status", LabEnvironment.Namespace);
        var before = lab.Server.AccessLog.Count(statusWrites);
        var clock = Stopwatch.StartNew();

        using (var call = client.Sync(new CallOptions(headers: Bearer(enrolled.Credential), deadline: DateTime.UtcNow.AddSeconds(60))))
        {
            await call.RequestStream.WriteAsync(new AgentMessage { Hello = new SyncHello { Namespace = enrolled.Namespace, InventoryName = enrolled.InventoryName } });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            for (var i = 0; i < 3000; i++)
            {
                await call.RequestStream.WriteAsync(new AgentMessage { State = new ObservedState { Phase = HostPhase.Idle, Hostname = $"state-{i}" } });
            }

            await call.RequestStream.CompleteAsync();
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        await Eventually.TrueAsync(async () => (await HostAsync(lab, enrolled.InventoryName)).Status?.Hostname == "state-2999",
            Settle, "the latest state written", CancellationToken.None);
        var writes = lab.Server.AccessLog.Count(statusWrites) - before;
        output.WriteLine($"3000 state messages over {seconds:0.0} s: {writes} status writes");
        // Budget: burst 10 + 2/s, plus the hello, the final flush and the disconnect mark; the leader's own few writes.
        Assert.InRange(writes, 1, 10 + (2 * (int)Math.Ceiling(seconds)) + 10);
    }

    private static async Task<TimeSpan> TimeRegistrationAsync(AgentService.AgentServiceClient client, string token, int index)
    {
        var clock = Stopwatch.StartNew();
        await client.RegisterAsync(Register(token, Identity(index)), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10))).ResponseAsync;
        return clock.Elapsed;
    }
}
