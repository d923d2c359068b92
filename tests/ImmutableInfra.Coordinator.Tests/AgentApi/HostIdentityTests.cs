using System.Globalization;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Contract.V1;
using Grpc.Core;
using Grpc.Net.Client;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Lab;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.Coordinator.Tests.AgentApi;

/// <summary>
/// Who may have a host's record, through the real agent API (a coordinator replica over gRPC) and the in-memory API
/// server: impostors with a victim's MAC, other pools' tokens, re-keying, approval, and streams of a re-keyed host.
/// </summary>
public sealed class HostIdentityTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);
    private static readonly string Pool = $"{LabEnvironment.Namespace}/{LabEnvironment.PoolName}";

    [Fact]
    public async Task AnImpostorWithTheVictimsMac_WhileTheVictimReboots_IsRefusedLoudly_AndTheVictimKeepsItsMachine()
    {
        var options = new LabOptions { Hosts = 1, KubeadmTime = TimeSpan.Zero, Timeout = Settle };
        await using var lab = await LabEnvironment.StartAsync(options, NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        await lab.StartHostsAsync(0, 1, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await lab.HostsAsync(CancellationToken.None)).SingleOrDefault()?.Status?.State == HostState.Available,
            Settle, "the host Available", CancellationToken.None);
        var capi = new ClusterApiSimulator(lab.Api, LabEnvironment.Namespace, "victim");
        await capi.CreateClusterAsync(CancellationToken.None);
        await capi.CreateMachineAsync("victim-md-0", controlPlane: false, firstControlPlane: false, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await lab.HostsAsync(CancellationToken.None))[0].Status?.State == HostState.Provisioned,
            Settle, "the host Provisioned", CancellationToken.None);
        var before = (await lab.HostsAsync(CancellationToken.None))[0];

        // The victim reboots: its stream ends.
        await lab.Hosts[0].StopAsync();
        await Eventually.TrueAsync(async () => string.IsNullOrEmpty((await lab.HostsAsync(CancellationToken.None))[0].Status?.ConnectedTo),
            Settle, "the victim's stream gone", CancellationToken.None);

        // An impostor on its segment, with the pool token, its MAC and another UUID.
        using var channel = GrpcChannel.ForAddress(lab.Coordinators[0].AgentApiAddress);
        var client = new AgentService.AgentServiceClient(channel);
        var impostor = new Contract.V1.HostIdentity { SystemUuid = "0badc0de-0000-4000-8000-000000000001", Macs = { before.Spec!.Identity!.Macs![0] }, Hostname = "impostor" };
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.RegisterAsync(Register(lab.PoolToken!, impostor)).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, refused.StatusCode);

        // One that also learned its UUID (PXE sends it in DHCP) gets nothing either: the host is claimed.
        var cloned = new Contract.V1.HostIdentity { SystemUuid = before.Spec.Identity.SystemUuid, Macs = { before.Spec.Identity.Macs[0] }, Hostname = "impostor" };
        var waits = await Assert.ThrowsAsync<RpcException>(() => client.RegisterAsync(Register(lab.PoolToken!, cloned)).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, waits.StatusCode);
        Assert.Contains("hosts rekey", waits.Status.Detail, StringComparison.Ordinal);

        // Loud: Warning Events on the victim's record, and it shows what waits for an operator.
        await Eventually.TrueAsync(async () => (await WarningsAsync(lab, before.Metadata.Name!)).Contains("IdentityContradiction")
            && (await WarningsAsync(lab, before.Metadata.Name!)).Contains("RekeyNeedsApproval"), Settle, "Warning Events on the victim", CancellationToken.None);
        var during = (await lab.HostsAsync(CancellationToken.None))[0];
        Assert.Equal(before.Status!.CredentialHash, during.Status!.CredentialHash);
        Assert.Equal(before.Status.Claim!.MachineRef!.Uid, during.Status.Claim?.MachineRef?.Uid);
        Assert.NotNull(during.Status.RekeyRequest);

        // The victim comes back with its own credential and still holds its machine.
        await lab.RestartHostAsync(0, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await lab.HostsAsync(CancellationToken.None))[0] is { Status: { ConnectedTo.Length: > 0, State: HostState.Provisioned } },
            Settle, "the victim connected and Provisioned again", CancellationToken.None);
        var after = (await lab.HostsAsync(CancellationToken.None))[0];
        Assert.Equal(before.Status.CredentialHash, after.Status!.CredentialHash);
        Assert.Equal(before.Status.Claim.MachineRef.Uid, after.Status.Claim?.MachineRef?.Uid);
    }

    [Fact]
    public async Task APoolsToken_NeverTouchesAnotherPoolsHost_EvenWithItsWholeIdentity()
    {
        await using var lab = await LabEnvironment.StartAsync(new LabOptions { Hosts = 1, Timeout = Settle }, NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        var otherToken = await lab.CreatePoolAsync("other", autoApprove: true, CancellationToken.None);
        using var channel = GrpcChannel.ForAddress(lab.Coordinators[0].AgentApiAddress);
        var client = new AgentService.AgentServiceClient(channel);
        var identity = Identity(1);
        var victim = await client.RegisterAsync(Register(lab.PoolToken!, identity)).ResponseAsync;
        var hashBefore = (await HostAsync(lab, victim.InventoryName)).Status!.CredentialHash;

        var other = await client.RegisterAsync(new RegisterRequest { Pool = $"{LabEnvironment.Namespace}/other", RegistrationToken = otherToken, Identity = identity }).ResponseAsync;

        Assert.NotEqual(victim.InventoryName, other.InventoryName);
        Assert.Equal("other", (await HostAsync(lab, other.InventoryName)).Spec!.PoolRef!.Name);
        Assert.Equal(hashBefore, (await HostAsync(lab, victim.InventoryName)).Status!.CredentialHash);
    }

    [Fact]
    public async Task ReKeying_InAPoolThatDoesNotAutoApprove_NeedsTheOldCredentialOrAnOperator_AndIsAlwaysAWarning()
    {
        await using var lab = await LabEnvironment.StartAsync(new LabOptions { Hosts = 1, Timeout = Settle }, NullLoggerFactory.Instance, CancellationToken.None);
        var token = await lab.CreatePoolAsync("manual", autoApprove: false, CancellationToken.None);
        using var channel = GrpcChannel.ForAddress(lab.Coordinators[0].AgentApiAddress);
        var client = new AgentService.AgentServiceClient(channel);
        var identity = Identity(2);
        RegisterRequest Request(string credential = "") =>
            new() { Pool = $"{LabEnvironment.Namespace}/manual", RegistrationToken = token, Identity = identity, Credential = credential };
        var first = await client.RegisterAsync(Request()).ResponseAsync;
        await Eventually.TrueAsync(async () => (await HostAsync(lab, first.InventoryName)).Status?.State == HostState.Registering,
            Settle, "the new host waiting in Registering", CancellationToken.None);

        // Without the old credential: refused until an operator decides; the record says who waits and why.
        var waits = await Assert.ThrowsAsync<RpcException>(() => client.RegisterAsync(Request()).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, waits.StatusCode);
        var waiting = await HostAsync(lab, first.InventoryName);
        Assert.Contains("does not auto-approve", waiting.Status!.RekeyRequest!.Reason, StringComparison.Ordinal);
        Assert.True(HostCredential(waiting, first.Credential));

        // With it: re-keyed, and the old one stops working.
        await Eventually.TrueAsync(() => Task.FromResult(Cached(lab, first.InventoryName)?.Status?.CredentialHash is not null),
            Settle, "the credential in the coordinator's cache", CancellationToken.None);
        var second = await client.RegisterAsync(Request(first.Credential)).ResponseAsync;
        Assert.Equal(first.InventoryName, second.InventoryName);
        var rekeyed = await HostAsync(lab, first.InventoryName);
        Assert.True(HostCredential(rekeyed, second.Credential));
        Assert.False(HostCredential(rekeyed, first.Credential));
        Assert.Null(rekeyed.Status!.RekeyRequest);

        // An operator's approval (what `hosts rekey` writes) allows exactly one re-key without the credential.
        var hosts = lab.Api.Resource(InfrastructureResources.MachineInventories);
        var approvedAt = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        await hosts.PatchAsync(LabEnvironment.Namespace, first.InventoryName, $"{{\"spec\":{{\"rekeyApprovedAt\":\"{approvedAt}\"}}}}");
        await Eventually.TrueAsync(() => Task.FromResult(Cached(lab, first.InventoryName)?.Spec?.RekeyApprovedAt is not null),
            Settle, "the approval in the coordinator's cache", CancellationToken.None);
        var third = await client.RegisterAsync(Request()).ResponseAsync;
        Assert.True(HostCredential(await HostAsync(lab, first.InventoryName), third.Credential));
        await Eventually.TrueAsync(() => Task.FromResult(Cached(lab, first.InventoryName)?.Status?.RekeyApprovalUsed is not null),
            Settle, "the used approval in the coordinator's cache", CancellationToken.None);
        var again = await Assert.ThrowsAsync<RpcException>(() => client.RegisterAsync(Request()).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);

        await Eventually.TrueAsync(async () => (await WarningsAsync(lab, first.InventoryName)).Count(r => r == "Rekeyed") == 2,
            Settle, "a Rekeyed Warning for each re-key", CancellationToken.None);
    }

    [Fact]
    public async Task AReKeyedHostsOldStream_EndsUnauthenticated()
    {
        await using var lab = await LabEnvironment.StartAsync(new LabOptions { Hosts = 1, Timeout = Settle }, NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        using var channel = GrpcChannel.ForAddress(lab.Coordinators[0].AgentApiAddress);
        var client = new AgentService.AgentServiceClient(channel);
        var identity = Identity(3);
        var first = await client.RegisterAsync(Register(lab.PoolToken!, identity)).ResponseAsync;
        using var call = await OpenStreamAsync(client, first);
        await Eventually.TrueAsync(() => Task.FromResult(!string.IsNullOrEmpty(Cached(lab, first.InventoryName)?.Status?.ConnectedTo)),
            Settle, "the stream recorded in the coordinator's cache", CancellationToken.None);

        // While connected, only the credential's holder may re-key (a clone without it is refused)...
        var clone = await Assert.ThrowsAsync<RpcException>(() => client.RegisterAsync(Register(lab.PoolToken!, identity)).ResponseAsync);
        Assert.Equal(StatusCode.AlreadyExists, clone.StatusCode);
        var request = Register(lab.PoolToken!, identity);
        request.Credential = first.Credential;
        await client.RegisterAsync(request).ResponseAsync;

        // ...and the stream authenticated with the replaced credential ends.
        var ended = await Assert.ThrowsAsync<RpcException>(() => DrainAsync(call));
        Assert.Equal(StatusCode.Unauthenticated, ended.StatusCode);
    }

    [Fact]
    public async Task ADeniedHost_MayNeitherSyncNorRegister()
    {
        await using var lab = await LabEnvironment.StartAsync(new LabOptions { Hosts = 1, Timeout = Settle }, NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        using var channel = GrpcChannel.ForAddress(lab.Coordinators[0].AgentApiAddress);
        var client = new AgentService.AgentServiceClient(channel);
        var identity = Identity(4);
        var first = await client.RegisterAsync(Register(lab.PoolToken!, identity)).ResponseAsync;
        using var call = await OpenStreamAsync(client, first);

        await lab.Api.Resource(InfrastructureResources.MachineInventories).PatchAsync(LabEnvironment.Namespace, first.InventoryName, "{\"spec\":{\"approved\":false,\"denied\":true}}");

        var ended = await Assert.ThrowsAsync<RpcException>(() => DrainAsync(call));
        Assert.Equal(StatusCode.PermissionDenied, ended.StatusCode);
        var request = Register(lab.PoolToken!, identity);
        request.Credential = first.Credential;
        var refused = await Assert.ThrowsAsync<RpcException>(() => client.RegisterAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Fact]
    public async Task AnAttackerWithAnIndependentClient_IsRefusedEverywhere()
    {
        await using var lab = await LabEnvironment.StartAsync(new LabOptions { Hosts = 1, Timeout = Settle }, NullLoggerFactory.Instance, CancellationToken.None);
        await lab.CreatePoolAsync(CancellationToken.None);
        using var channel = GrpcChannel.ForAddress(lab.Coordinators[0].AgentApiAddress);
        var victim = Identity(5);
        var enrolled = await new AgentService.AgentServiceClient(channel).RegisterAsync(Register(lab.PoolToken!, victim)).ResponseAsync;
        var hash = (await HostAsync(lab, enrolled.InventoryName)).Status!.CredentialHash;
        var script = Path.Combine(AppContext.BaseDirectory, "python", "attacker.py");
        // Debian's interpreter, where python3-grpcio is installed (a python3 earlier on PATH may not have it).
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, lab.Coordinators[0].AgentApiAddress.Port.ToString(CultureInfo.InvariantCulture), Pool, lab.PoolToken!, victim.Macs[0] })
        {
            start.ArgumentList.Add(arg);
        }

        using var python = System.Diagnostics.Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = python.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = python.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await python.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            python.Kill();
            throw;
        }

        Assert.True(python.ExitCode == 0, $"attacker.py: {await stdout}{await stderr}");
        Assert.Equal("PASS", (await stdout).Trim());
        Assert.Equal(hash, (await HostAsync(lab, enrolled.InventoryName)).Status!.CredentialHash);
    }

    /// <summary>A Sync stream past its hello and the coordinator's first answer.</summary>
    private static async Task<AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage>> OpenStreamAsync(AgentService.AgentServiceClient client, RegisterResponse enrolled)
    {
        var call = client.Sync(new CallOptions(headers: Bearer(enrolled.Credential), deadline: DateTime.UtcNow.AddSeconds(60)));
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new SyncHello { Namespace = enrolled.Namespace, InventoryName = enrolled.InventoryName } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return call;
    }

    private static async Task DrainAsync(AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> call)
    {
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
        }
    }

    internal static RegisterRequest Register(string token, Contract.V1.HostIdentity identity) =>
        new() { Pool = Pool, RegistrationToken = token, Identity = identity, AgentVersion = "test" };

    internal static Contract.V1.HostIdentity Identity(int index, string hostname = "localhost") => new()
    {
        SystemUuid = string.Create(CultureInfo.InvariantCulture, $"1d000000-0000-4000-8000-{index:x12}"),
        Macs = { string.Create(CultureInfo.InvariantCulture, $"02:1d:{(index >> 24) & 0xff:x2}:{(index >> 16) & 0xff:x2}:{(index >> 8) & 0xff:x2}:{index & 0xff:x2}") },
        Serial = string.Create(CultureInfo.InvariantCulture, $"ID{index:D8}"),
        Hostname = hostname,
    };

    internal static Metadata Bearer(string credential) => new() { { "authorization", "Bearer " + credential } };

    internal static Task<MachineInventory> HostAsync(LabEnvironment lab, string name) =>
        lab.Api.Resource(InfrastructureResources.MachineInventories).GetAsync(LabEnvironment.Namespace, name);

    internal static MachineInventory? Cached(LabEnvironment lab, string name) =>
        lab.Coordinators[0].Caches.HostCache.Get(LabEnvironment.Namespace, name);

    private static bool HostCredential(MachineInventory host, string credential) =>
        Coordinator.AgentApi.HostCredential.Matches(credential, host.Status?.CredentialHash);

    private static async Task<List<string>> WarningsAsync(LabEnvironment lab, string host) =>
        [.. (await lab.Api.Resource(KubeResources.Events).ListAsync(LabEnvironment.Namespace, cancellationToken: CancellationToken.None)).Items
            .Where(e => e.InvolvedObject?.Name == host && e.Type == "Warning")
            .Select(e => e.Reason ?? string.Empty)];
}
