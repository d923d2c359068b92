using System.Net;
using ImmutableInfra.Agent.Vip;
using k8s;

namespace ImmutableInfra.Agent.VipNet.Harness;

/// <summary>
/// A bridge in the host namespace holding 198.18.N.254/24, with the lab's Lease API (<see cref="LeaseEndpoint"/>) bound there, so every
/// namespace on the bridge reaches it over its own link. Names carry a random prefix so parallel runs never
/// collide; <see cref="DisposeAsync"/> removes the bridge whatever happened.
/// </summary>
internal sealed class VipLab : IAsyncDisposable
{
    private int _clusters;

    private VipLab(string prefix, int subnet, LeaseEndpoint server)
    {
        Prefix = prefix;
        Subnet = subnet;
        Server = server;
    }

    public string Prefix { get; }

    /// <summary>N in 198.18.N.0/24.</summary>
    public int Subnet { get; }

    public string Bridge => Prefix + "br";

    public IPAddress ApiAddress => IPAddress.Parse($"198.18.{Subnet}.254");

    public LeaseEndpoint Server { get; }

    public static async Task<VipLab> StartAsync()
    {
        var prefix = "vn" + Random.Shared.Next(0x1000, 0xFFFF).ToString("x4", System.Globalization.CultureInfo.InvariantCulture);
        var used = await Shell.RunAsync("ip -o addr show").ConfigureAwait(false);
        var subnet = Enumerable.Range(0, 40).Select(_ => Random.Shared.Next(1, 250)).First(n => !used.Contains($"198.18.{n}.", StringComparison.Ordinal));
        var bridge = prefix + "br";
        // A fixed MAC: a bridge otherwise takes the lowest MAC of its ports, and a port going down (a crashed
        // host) would change the API server's MAC under every other namespace's ARP cache.
        var mac = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"02:c6:12:{subnet:x2}:00:fe");
        await Shell.RunAsync($"ip link add {bridge} type bridge && ip link set {bridge} address {mac} && ip addr add 198.18.{subnet}.254/24 dev {bridge} && ip link set {bridge} up")
            .ConfigureAwait(false);
        try
        {
            var server = await LeaseEndpoint.StartAsync(IPAddress.Parse($"198.18.{subnet}.254")).ConfigureAwait(false);
            // The JIT's first pass over KubernetesClient takes longer than a renew deadline on a loaded machine;
            // the agent is NativeAOT and has no such first time, so the lab pays it once before any scenario.
            using (var warm = KubeconfigLeaseApiConnector.Open(new KubernetesClientConfiguration { Host = server.Url.ToString() }, new VipOptions { LeaseDuration = TimeSpan.FromSeconds(30) }, "kube-system", "warm-up"))
            {
                var lease = await warm.Leases.CreateAsync("warm-up", TimeSpan.FromSeconds(1), DateTimeOffset.UtcNow, CancellationToken.None).ConfigureAwait(false);
                await warm.Leases.AcquireAsync(lease, "warm-up", 1, TimeSpan.FromSeconds(1), DateTimeOffset.UtcNow, CancellationToken.None).ConfigureAwait(false);
                await warm.Leases.RenewAsync("warm-up", 1, DateTimeOffset.UtcNow, CancellationToken.None).ConfigureAwait(false);
                await warm.Leases.ReleaseAsync("warm-up", 1, DateTimeOffset.UtcNow, CancellationToken.None).ConfigureAwait(false);
                await warm.Leases.GetAsync(CancellationToken.None).ConfigureAwait(false);
            }

            return new VipLab(prefix, subnet, server);
        }
        catch
        {
            await Shell.RunAsync($"ip link del {bridge}", check: false).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Three control-plane namespaces and a client namespace, with keepalived and (when <paramref name="arbitrated"/>) the arbiter.</summary>
    public async Task<VipCluster> StartClusterAsync(bool arbitrated, TimeSpan advertInterval)
    {
        Server.Latency = TimeSpan.Zero;
        Server.ThrottledFraction = 0;
        // Five addresses per cluster (three hosts, client, VIP) in the /24: indices repeat only after 50 clusters, long after disposal.
        var index = Interlocked.Increment(ref _clusters) % 50;
        var cluster = new VipCluster(this, index, arbitrated, advertInterval);
        try
        {
            await cluster.StartAsync().ConfigureAwait(false);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync().ConfigureAwait(false);
        await Shell.RunAsync($"ip link del {Bridge}", check: false).ConfigureAwait(false);
    }
}
