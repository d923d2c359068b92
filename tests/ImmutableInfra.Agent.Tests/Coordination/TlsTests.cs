namespace ImmutableInfra.Agent.Tests.Coordination;

public sealed class TlsTests : IDisposable
{
    private readonly TestHost _host = new();
    private readonly TempDirectory _pki = new();

    public void Dispose()
    {
        _host.Dispose();
        _pki.Dispose();
    }

    [Fact]
    public async Task Enroll_ServerCertificateFromPinnedCa_EnrollsOverTls()
    {
        using var ca = TestCertificates.CreateCa("immutableinfra-test-ca");
        using var serverCertificate = TestCertificates.IssueLoopbackServer(ca);
        await using var coordinator = await FakeCoordinator.StartAsync(serverCertificate);
        var caFile = TestCertificates.WritePem(ca, _pki.Combine("ca.pem"));

        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address, caFile: caFile);

        await Eventually.TrueAsync(() => coordinator.OpenStreams == 1, "the agent is connected over TLS");
        await Eventually.TrueAsync(() => agent.Status == "connected, idle", "STATUS= shows the connection");
        Assert.Equal(Uri.UriSchemeHttps, coordinator.Address.Scheme);
        Assert.NotNull(_host.Credentials.Load());
        Assert.Single(coordinator.Hellos);
    }

    [Fact]
    public async Task Enroll_ServerCertificateFromAnotherCa_FailsWithClearTlsErrorAndNoCredential()
    {
        using var pinned = TestCertificates.CreateCa("immutableinfra-test-ca");
        using var other = TestCertificates.CreateCa("someone-elses-ca");
        using var serverCertificate = TestCertificates.IssueLoopbackServer(other);
        await using var coordinator = await FakeCoordinator.StartAsync(serverCertificate);
        var caFile = TestCertificates.WritePem(pinned, _pki.Combine("ca.pem"));

        await using var agent = await AgentUnderTest.StartAsync(_host, coordinator.Address, caFile: caFile);

        // One read: the status moves on to "enrolling" again when the short test backoff ends.
        var status = string.Empty;
        await Eventually.TrueAsync(() => (status = agent.Status).StartsWith("retrying in", StringComparison.Ordinal), "the failure is reported");
        Assert.Contains("The remote certificate was rejected", status, StringComparison.Ordinal);
        Assert.Contains("TLS handshake failed: the coordinator's certificate must chain to the CA in caFile", status, StringComparison.Ordinal);
        Assert.Empty(coordinator.Registrations);
        Assert.Null(_host.Credentials.Load());
    }
}
