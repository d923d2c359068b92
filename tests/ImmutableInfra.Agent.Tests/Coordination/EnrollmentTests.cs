using ImmutableInfra.Agent.Hosting;
using ImmutableInfra.Agent.Configuration;
using ImmutableInfra.Agent.Inventory;
using ImmutableInfra.Agent.Platform;
using NSubstitute;

namespace ImmutableInfra.Agent.Tests.Coordination;

public sealed class EnrollmentTests : IDisposable
{
    private readonly TestHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Enroll_RightToken_StoresOwnerOnlyCredentialAndSendsIdentity()
    {
        await using var coordinator = await FakeCoordinator.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address);

        await Eventually.TrueAsync(() => _host.Credentials.Load() is not null, "the credential is stored");

        var stored = _host.Credentials.Load()!;
        Assert.Equal(new Enrollment(FakeCoordinator.Namespace, FakeCoordinator.InventoryName, coordinator.IssuedCredentials.Single()), stored);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_host.Credentials.Path));
        var request = Assert.Single(coordinator.Registrations);
        Assert.Equal(FakeCoordinator.Pool, request.Pool);
        Assert.Equal(FakeCoordinator.Token, request.RegistrationToken);
        Assert.Equal("8e3b1b1a-5c0e-4b5d-9c3f-0123456789ab", request.Identity.SystemUuid);
        Assert.Equal(["52:54:00:12:34:56"], request.Identity.Macs);
        var expected = new HostInventoryReader(new HostRoot(_host.Root), Substitute.For<INetworkAddressSource>()).Read();
        Assert.Equal(expected.Fingerprint, request.Inventory.Fingerprint);
        Assert.Equal("rack-7", request.Labels["topology.kubernetes.io/zone"]);
        Assert.NotEmpty(request.AgentVersion);
        Assert.Contains(AgentLifecycle.ConnectingPhase, agent.Notifier.Statuses);
        Assert.Contains("enrolling, idle", agent.Notifier.Statuses);
        Assert.DoesNotContain(agent.Logs.Lines, l => l.Contains(FakeCoordinator.Token, StringComparison.Ordinal) || l.Contains(stored.Credential, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Enroll_WrongToken_ReportsRejectionClearlyAndStoresNoCredential()
    {
        await using var coordinator = await FakeCoordinator.StartAsync();
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address, token: "wrong-token-77");

        await Eventually.TrueAsync(() => agent.Status.Contains("registration rejected", StringComparison.Ordinal), "the rejection is reported");
        // Transient failures retry after 20-200 ms here; a refusal waits minutes for an operator.
        await Task.Delay(300);

        Assert.StartsWith("registration rejected, operator action needed: Unauthenticated: registration token does not match the pool's; retrying in", agent.Status, StringComparison.Ordinal);
        Assert.Single(coordinator.Registrations);
        Assert.Null(_host.Credentials.Load());
        Assert.False(File.Exists(_host.Credentials.Path));
        Assert.Contains(agent.Logs.Lines, l => l.StartsWith("Error 4003 ", StringComparison.Ordinal) && l.Contains("registration token does not match", StringComparison.Ordinal));
        Assert.DoesNotContain(agent.Logs.Lines, l => l.Contains("wrong-token-77", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Enroll_UnknownPool_IsReportedAsNotFound()
    {
        await using var coordinator = await FakeCoordinator.StartAsync();
        var options = AgentUnderTest.FastOptions;
        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address, token: FakeCoordinator.Token, coordination: options, pool: "default/nonexistent");

        var status = string.Empty;
        await Eventually.TrueAsync(() => (status = agent.Status).Contains("registration rejected", StringComparison.Ordinal), "the rejection is reported");

        Assert.Contains("NotFound: pool default/nonexistent does not exist", status, StringComparison.Ordinal);
        Assert.Null(_host.Credentials.Load());
    }

    [Fact]
    public async Task Enroll_CoordinatorDownAtFirst_RetriesWithBackoffUntilItAnswers()
    {
        await using var coordinator = await FakeCoordinator.StartAsync();
        var address = coordinator.Address;
        await coordinator.DisposeAsync();
        await using var agent = await AgentUnderTest.StartAsync(_host, address);

        await Eventually.TrueAsync(() => agent.Notifier.Statuses.Count(s => s.StartsWith("retrying in", StringComparison.Ordinal)) >= 2, "two retries are reported");
        Assert.Contains(agent.Notifier.Statuses, s => s.StartsWith("retrying in", StringComparison.Ordinal) && s.Contains("Unavailable: Error connecting to subchannel. (Connection refused", StringComparison.Ordinal));
        Assert.Contains(AgentLifecycle.ConnectingPhase, agent.Notifier.Statuses);

        await using var restarted = await FakeCoordinator.StartOnAsync(address.Port);
        await Eventually.TrueAsync(() => _host.Credentials.Load() is not null, "the agent enrolls once the coordinator is up");
        await Eventually.TrueAsync(() => agent.Status == "connected, idle", "the stream is connected");
    }
}
