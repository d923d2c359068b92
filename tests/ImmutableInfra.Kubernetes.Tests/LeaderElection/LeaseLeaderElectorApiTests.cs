using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.LeaderElection;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Kubernetes.Tests.Fixtures;

namespace ImmutableInfra.Kubernetes.Tests.LeaderElection;

public sealed class LeaseLeaderElectorApiTests
{
    [Fact]
    public async Task RunAsync_AgainstApiServer_LeadsThenReleasesToTheOther()
    {
        await using var api = await InMemoryApi.StartAsync();
        LeaseLeaderElector Elector(KubeClient client, string id) => new(client.Resource(KubeResources.Leases), new LeaderElectionOptions
        {
            LeaseNamespace = "kube-system",
            LeaseName = "cp-vip",
            Identity = id,
            LeaseDuration = TimeSpan.FromSeconds(4),
            RenewDeadline = TimeSpan.FromSeconds(3),
            RetryPeriod = TimeSpan.FromMilliseconds(100),
        });

        // Each candidate renews on a client of its own, as the agent's VIP arbiter must.
        using var clientA = new KubeClient(api.Server.ConnectionSettings(), InMemoryApi.FastRetries());
        using var clientB = new KubeClient(api.Server.ConnectionSettings(), InMemoryApi.FastRetries());
        var a = Elector(clientA, "host-a");
        var b = Elector(clientB, "host-b");
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = a.RunAsync(stopA.Token);
        await Eventually.TrueAsync(() => a.IsLeader, "a leads");
        var runB = b.RunAsync(stopB.Token);
        await Task.Delay(300);
        Assert.False(b.IsLeader);

        await stopA.CancelAsync();
        await runA;
        await Eventually.TrueAsync(() => b.IsLeader, "b takes over after a released", timeoutSeconds: 3);
        var lease = await api.Client.Resource(KubeResources.Leases).GetAsync("kube-system", "cp-vip");
        Assert.Equal(lease.Spec!.LeaseTransitions, b.FencingToken);
        await stopB.CancelAsync();
        await runB;

        Assert.Equal("host-b", lease.Spec!.HolderIdentity);
        // Created by a (0), released by a (kept), acquired by b (+1).
        Assert.Equal(1, lease.Spec.LeaseTransitions);
    }
}
