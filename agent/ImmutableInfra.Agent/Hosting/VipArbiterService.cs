using ImmutableInfra.Agent.Vip;
using Microsoft.Extensions.Hosting;

namespace ImmutableInfra.Agent.Hosting;

/// <summary>Runs the control-plane VIP (keepalived.conf and the Lease arbiter); on stop it demotes this host and releases the Lease.</summary>
internal sealed class VipArbiterService(ControlPlaneVip vip) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await vip.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Normal shutdown.
        }
    }
}
