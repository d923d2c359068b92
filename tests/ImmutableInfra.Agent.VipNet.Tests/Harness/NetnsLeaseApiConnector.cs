using System.Net.Sockets;
using ImmutableInfra.Agent.Vip;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Agent.VipNet.Harness;

/// <summary>The arbiter's Lease client for one simulated host: every TCP connection is opened inside that host's namespace.</summary>
internal sealed class NetnsLeaseApiConnector(KubeConnectionSettings settings, NetnsThread netns, VipOptions options) : ILeaseApiConnector
{
    public LeaseApi? TryConnect(bool initializing)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = options.RenewDeadline,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = await netns.CreateTcpSocketAsync(AddressFamily.InterNetwork).ConfigureAwait(false);
                try
                {
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        // As the real connector: a client of its own, one attempt per request, bounded by the renew deadline.
        var client = new KubeClient(settings, new KubeClientOptions { MaxAttempts = 1, RequestTimeout = options.RenewDeadline }, handler: handler);
        return new LeaseApi(client.Resource(KubeResources.Leases), client);
    }
}
