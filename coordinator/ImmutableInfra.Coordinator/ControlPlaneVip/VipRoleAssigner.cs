using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Coordinator.Caching;
using ImmutableInfra.Coordinator.Hosts;

namespace ImmutableInfra.Coordinator.ControlPlaneVip;

/// <summary>
/// Keeps every control-plane host's VIP role equal to what <see cref="VipRoles"/> computes for the cluster's
/// current membership. A changed role goes out as a new desired generation, which the agent applies to
/// keepalived without running its bootstrap again.
/// </summary>
internal sealed class VipRoleAssigner(ResourceCaches caches, HostStatusWriter writer)
{
    /// <summary>Rewrites the roles that differ from the cluster's current membership.</summary>
    public async Task SyncAsync(BaremetalCluster cluster, CancellationToken ct)
    {
        var capiCluster = VipRoles.CapiClusterKey(cluster);
        foreach (var host in VipRoles.ControlPlaneHosts(caches, capiCluster).ToList())
        {
            var wanted = VipRoles.For(cluster, host, VipRoles.ControlPlaneHosts(caches, capiCluster));
            if (VipRoles.Same(wanted, host.Status!.Claim!.VipRole))
            {
                continue;
            }

            await writer.UpdateAsync(host.Metadata.Namespace, host.Metadata.Name!, h =>
            {
                // The fresh copy decides: the claim may have been released or replaced since the cache saw it.
                if (h.Status?.Claim is not { } claim || claim.MachineRef?.Uid != host.Status.Claim.MachineRef?.Uid || !VipRoles.IsActiveControlPlane(h))
                {
                    return false;
                }

                var role = VipRoles.For(cluster, h, VipRoles.ControlPlaneHosts(caches, capiCluster));
                if (VipRoles.Same(role, claim.VipRole))
                {
                    return false;
                }

                claim.VipRole = role;
                h.Status.DesiredGeneration = (h.Status.DesiredGeneration ?? 0) + 1;
                return true;
            }, null, ct).ConfigureAwait(false);
        }
    }
}
