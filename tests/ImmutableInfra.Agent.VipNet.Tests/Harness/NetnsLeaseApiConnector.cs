using System.Net.Sockets;
using ImmutableInfra.Agent.Vip;
using k8s;

namespace ImmutableInfra.Agent.VipNet.Harness;

/// <summary>The arbiter's Lease client for one simulated host, as the real connector builds it, with every TCP connection opened inside that host's namespace.</summary>
internal sealed class NetnsLeaseApiConnector(Uri api, NetnsThread netns, VipOptions options) : ILeaseApiConnector
{
    public LeaseApi? TryConnect(bool initializing, string leaseNamespace, string leaseName)
    {
        var configuration = new KubernetesClientConfiguration
        {
            Host = api.ToString(),
            FirstMessageHandlerSetup = handler => handler.ConnectCallback = async (context, cancellationToken) =>
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
        return KubeconfigLeaseApiConnector.Open(configuration, options, leaseNamespace, leaseName);
    }
}
