using System.Net;
using System.Net.Sockets;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Kubernetes.Tests.Fixtures;

namespace ImmutableInfra.Kubernetes.Tests.Client;

public sealed class ResilienceTests : IAsyncLifetime
{
    private InMemoryApi _api = null!;

    public async Task InitializeAsync() => _api = await InMemoryApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Get_TransientFailuresWithinAttempts_Succeeds(int status)
    {
        _api.Server.Faults.FailNextRequests(2, status);

        var ns = await _api.Client.Resource(KubeResources.Namespaces).GetAsync(null, "default");

        Assert.Equal("default", ns.Metadata.Name);
    }

    [Fact]
    public async Task Get_TransientFailuresBeyondAttempts_ThrowsTypedError()
    {
        _api.Server.Faults.FailNextRequests(3, 429);

        var error = await Assert.ThrowsAsync<KubeTooManyRequestsException>(() => _api.Client.Resource(KubeResources.Namespaces).GetAsync(null, "default"));

        Assert.Equal("TooManyRequests", error.Reason);
    }

    [Fact]
    public async Task Get_ClientError_IsNotRetried()
    {
        _api.Server.Faults.DenyToken("denied");
        using var client = new KubeClient(_api.Server.ConnectionSettings(token: "denied"), InMemoryApi.FastRetries());

        await Assert.ThrowsAsync<KubeForbiddenException>(() => client.Resource(KubeResources.Namespaces).GetAsync(null, "default"));
        _api.Server.Faults.FailNextRequests(1, 400);
        await Assert.ThrowsAsync<KubeApiException>(() => _api.Client.Resource(KubeResources.Namespaces).GetAsync(null, "default"));

        // Had the 400 been retried, the retry would have succeeded instead of throwing.
        Assert.Equal("default", (await _api.Client.Resource(KubeResources.Namespaces).GetAsync(null, "default")).Metadata.Name);
    }

    [Fact]
    public async Task Request_WrongToken_ThrowsUnauthorized()
    {
        await using var secured = await InMemoryApi.StartAsync(o => o.BearerTokens.Add("right"));
        using var client = new KubeClient(secured.Server.ConnectionSettings(token: "wrong"), InMemoryApi.FastRetries());
        using var good = new KubeClient(secured.Server.ConnectionSettings(token: "right"), InMemoryApi.FastRetries());

        await Assert.ThrowsAsync<KubeUnauthorizedException>(() => client.Resource(KubeResources.Namespaces).GetAsync(null, "default"));
        Assert.NotNull(await good.Resource(KubeResources.Namespaces).GetAsync(null, "default"));
    }

    [Fact]
    public async Task Request_UnreachableServer_FailsClearlyAfterBoundedAttempts()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new KubeClient(new KubeConnectionSettings { Server = new Uri($"http://127.0.0.1:{port}") }, InMemoryApi.FastRetries());

        var error = await Assert.ThrowsAsync<KubeConnectionException>(() => client.Resource(KubeResources.Namespaces).GetAsync(null, "default"));

        Assert.Contains($"Kubernetes API server http://127.0.0.1:{port}/ unreachable after 3 attempt(s)", error.Message);
        Assert.IsAssignableFrom<HttpRequestException>(error.InnerException);
    }

    [Fact]
    public async Task Request_ServerThatNeverAnswers_TimesOutAfterBoundedAttempts()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var options = InMemoryApi.FastRetries();
        options.RequestTimeout = TimeSpan.FromMilliseconds(200);
        options.MaxAttempts = 2;
        using var client = new KubeClient(new KubeConnectionSettings { Server = new Uri($"http://127.0.0.1:{port}") }, options);

        var error = await Assert.ThrowsAsync<KubeConnectionException>(() => client.Resource(KubeResources.Namespaces).GetAsync(null, "default"));
        listener.Stop();

        Assert.Contains("unreachable after 2 attempt(s): no answer within 0.2 s", error.Message);
    }

    [Fact]
    public void Options_Invalid_RejectedAtConstruction()
    {
        var error = Assert.Throws<ArgumentException>(() => new KubeClient(_api.Server.ConnectionSettings(), new KubeClientOptions { MaxAttempts = 0 }));

        Assert.Contains("MaxAttempts", error.Message);
    }

    [Fact]
    public async Task RateLimitedClient_StillCompletesRequests()
    {
        var options = InMemoryApi.FastRetries();
        options.Qps = 50;
        options.Burst = 2;
        using var client = new KubeClient(_api.Server.ConnectionSettings(), options);

        for (var i = 0; i < 5; i++)
        {
            Assert.NotNull(await client.Resource(KubeResources.Namespaces).GetAsync(null, "default"));
        }
    }
}
