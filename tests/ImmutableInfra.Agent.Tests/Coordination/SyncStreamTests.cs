using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;
using NSubstitute;

namespace ImmutableInfra.Agent.Tests.Coordination;

public sealed class SyncStreamTests : IDisposable
{
    private readonly TestHost _host = new();

    public void Dispose() => _host.Dispose();

    private string CurrentFingerprint() => new HostInventoryReader(new HostRoot(_host.Root), Substitute.For<INetworkAddressSource>()).Read().Fingerprint;

    [Fact]
    public async Task Sync_Hello_CarriesCredentialFingerprintAndCurrentState()
    {
        await using var coordinator = await FakeCoordinator.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address);

        await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the stream is connected");
        await Eventually.TrueAsync(() => agent.Status == "connected, idle", "STATUS= shows the connection");

        var hello = Assert.Single(coordinator.Hellos);
        Assert.Equal("Bearer " + _host.Credentials.Load()!.Credential, Assert.Single(coordinator.SyncAuthorizations));
        Assert.Equal(FakeCoordinator.Namespace, hello.Namespace);
        Assert.Equal(FakeCoordinator.InventoryName, hello.InventoryName);
        Assert.Equal(CurrentFingerprint(), hello.InventoryFingerprint);
        Assert.NotEmpty(hello.AgentVersion);
        Assert.Equal(0, hello.State.AckedGeneration);
        Assert.Equal(HostPhase.Idle, hello.State.Phase);
        Assert.NotNull(hello.State.ObservedAt);
    }

    [Fact]
    public async Task Sync_IdleStream_SendsJitteredHeartbeatsAndNoRepeatedState()
    {
        await using var coordinator = await FakeCoordinator.StartAsync();
        var options = AgentUnderTest.FastOptions with { HeartbeatInterval = TimeSpan.FromMilliseconds(30) };
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address, coordination: options);

        await Eventually.TrueAsync(() => coordinator.Messages.Count(m => m.Heartbeat is not null) >= 4, "four heartbeats arrive");

        var sequences = coordinator.Messages.Where(m => m.Heartbeat is not null).Select(m => m.Heartbeat.Sequence).Take(4);
        Assert.Equal([1UL, 2UL, 3UL, 4UL], sequences);
        Assert.Empty(coordinator.States);
        Assert.DoesNotContain(coordinator.Messages, m => m.Inventory is not null);
    }

    [Fact]
    public async Task Sync_InventoryChanges_SendsItOnlyWhenTheFingerprintDiffers()
    {
        await using var coordinator = await FakeCoordinator.StartAsync();
        var options = AgentUnderTest.FastOptions with { InventoryRefreshInterval = TimeSpan.FromMilliseconds(30), HeartbeatInterval = TimeSpan.FromMilliseconds(30) };
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address, coordination: options);
        await Eventually.TrueAsync(() => coordinator.Messages.Count(m => m.Heartbeat is not null) >= 5, "several refresh periods pass");
        Assert.DoesNotContain(coordinator.Messages, m => m.Inventory is not null);

        // A DIMM added: MemTotal grows. Renamed into place, as a half-written file would be a third inventory.
        File.WriteAllText(_host.HostFile("/proc/meminfo.new"), "MemTotal:       16277208 kB\nMemFree:         1234 kB\n");
        File.Move(_host.HostFile("/proc/meminfo.new"), _host.HostFile("/proc/meminfo"), overwrite: true);

        await Eventually.TrueAsync(() => coordinator.Messages.Any(m => m.Inventory is not null), "the changed inventory is sent");
        var heartbeatsSoFar = coordinator.Messages.Count(m => m.Heartbeat is not null);
        await Eventually.TrueAsync(() => coordinator.Messages.Count(m => m.Heartbeat is not null) >= heartbeatsSoFar + 5, "several more refresh periods pass");
        var inventory = Assert.Single(coordinator.Messages, m => m.Inventory is not null).Inventory;
        Assert.Equal(16277208UL * 1024, inventory.Memory.TotalBytes);
        Assert.Equal(CurrentFingerprint(), inventory.Fingerprint);
    }

    [Fact]
    public async Task Sync_InventoryRequest_AnswersWithFullInventoryEvenIfUnchanged()
    {
        await using var coordinator = await FakeCoordinator.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address);
        await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the stream is open");

        await coordinator.SendAsync(new CoordinatorMessage { InventoryRequest = new InventoryRequest() });

        await Eventually.TrueAsync(() => coordinator.Messages.Any(m => m.Inventory is not null), "the inventory is sent");
        Assert.Equal(CurrentFingerprint(), coordinator.Messages.Single(m => m.Inventory is not null).Inventory.Fingerprint);
    }

    [Fact]
    public async Task Sync_CredentialRevoked_DropsItAndEnrollsAgain()
    {
        await using var coordinator = await FakeCoordinator.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address);
        await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the stream is open");
        var first = _host.Credentials.Load()!.Credential;

        coordinator.RevokeCredentials();
        coordinator.DropStreams();

        await Eventually.TrueAsync(() => coordinator.Hellos.Count == 2, "the agent re-enrolled and reconnected");
        var second = _host.Credentials.Load()!.Credential;
        Assert.NotEqual(first, second);
        Assert.Equal(2, coordinator.Registrations.Count);
        Assert.Equal(["Bearer " + first, "Bearer " + first, "Bearer " + second], coordinator.SyncAuthorizations);
        Assert.Contains(agent.Logs.Lines, l => l.StartsWith("Warning 4012 ", StringComparison.Ordinal));
        Assert.DoesNotContain(agent.Logs.Lines, l => l.Contains(first, StringComparison.Ordinal) || l.Contains(second, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sync_CoordinatorSettings_ReplaceTheHeartbeatInterval()
    {
        await using var coordinator = await FakeCoordinator.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address);
        await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the stream is open");
        Assert.DoesNotContain(coordinator.Messages, m => m.Heartbeat is not null);

        await coordinator.SendAsync(new CoordinatorMessage
        {
            Settings = new SyncSettings { HeartbeatInterval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromSeconds(1)) },
        });

        // The configured interval is a minute; only the coordinator's one second brings a heartbeat now.
        await Eventually.TrueAsync(() => coordinator.Messages.Any(m => m.Heartbeat is not null), "a heartbeat arrives at the new pace");
    }
}
