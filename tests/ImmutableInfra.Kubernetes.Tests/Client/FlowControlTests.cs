using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Kubernetes.Tests.Fixtures;
using ImmutableInfra.Testing;

namespace ImmutableInfra.Kubernetes.Tests.Client;

/// <summary>The client-side token bucket steps aside while the API server reports Priority and Fairness.</summary>
public sealed class FlowControlTests
{
    [Fact]
    public async Task ServerWithPriorityAndFairness_BucketSuspendedAfterFirstResponse()
    {
        await using var api = await InMemoryApi.StartAsync();
        var time = new FakeTimeProvider();
        using var client = new KubeClient(api.Server.ConnectionSettings(), Limited(defer: true), timeProvider: time);
        var namespaces = client.Resource(KubeResources.Namespaces);

        // The clock never moves: with the bucket (1 token, 1/s) in force the second request would wait forever.
        for (var i = 0; i < 20; i++)
        {
            await namespaces.GetAsync(null, "default").WaitAsync(TimeSpan.FromSeconds(10));
        }

        Assert.True(client.DeferringToServerFlowControl);
    }

    [Theory]
    [InlineData(false, true)] // a server without Priority and Fairness: the bucket applies
    [InlineData(true, false)] // deferral off: the bucket applies whatever the server says
    public async Task BucketApplies_UnlessDeferringToAServerThatReportsFlowControl(bool serverHeaders, bool defer)
    {
        await using var api = await InMemoryApi.StartAsync(o => o.PriorityAndFairnessHeaders = serverHeaders);
        var time = new FakeTimeProvider();
        using var client = new KubeClient(api.Server.ConnectionSettings(), Limited(defer), timeProvider: time);
        var namespaces = client.Resource(KubeResources.Namespaces);

        await namespaces.GetAsync(null, "default").WaitAsync(TimeSpan.FromSeconds(10));
        var second = namespaces.GetAsync(null, "default");
        await Task.Delay(200);
        Assert.False(second.IsCompleted);

        time.Advance(TimeSpan.FromSeconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(client.DeferringToServerFlowControl);
    }

    private static KubeClientOptions Limited(bool defer)
    {
        var options = InMemoryApi.FastRetries();
        options.Qps = 1;
        options.Burst = 1;
        options.DeferToServerFlowControl = defer;
        return options;
    }
}
