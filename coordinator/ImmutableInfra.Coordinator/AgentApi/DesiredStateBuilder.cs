using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using ImmutableInfra.Coordinator.ControlPlaneVip;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Coordinator.Caching;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using WipePolicy = ImmutableInfra.Api.V1Beta1.WipePolicy;

namespace ImmutableInfra.Coordinator.AgentApi;

/// <summary>
/// What a host must do, built from its MachineInventory alone (claim, release, generation), so every
/// replica sends the same thing. Bootstrap data is read from its Secret only here, at send time, and
/// only its hash and format go into the desired state; the bytes travel by FetchBootstrapData.
/// </summary>
internal sealed class DesiredStateBuilder(IResourceClient<Secret> secrets)
{
    /// <summary>The key of the bootstrap data in Cluster API's bootstrap Secret.</summary>
    public const string ValueKey = "value";

    /// <summary>The key naming the format ("cloud-config" or "ignition"); cloud-config when absent.</summary>
    public const string FormatKey = "format";

    /// <summary>
    /// The desired state, or null while the bootstrap Secret it needs does not exist; for a Provision also the
    /// bootstrap data it was hashed from, which the stream hands to the agent's FetchBootstrapData.
    /// </summary>
    public async Task<(DesiredState? Desired, BootstrapData? Bootstrap)> BuildAsync(MachineInventory host, CancellationToken cancellationToken)
    {
        var status = host.Status;
        var desired = new DesiredState { Generation = status?.DesiredGeneration ?? 0 };
        var claim = status?.Claim;
        if (claim?.MachineRef is not { } machine)
        {
            desired.Idle = new Idle();
            return (desired, null);
        }

        if (claim.Released == true)
        {
            var reset = new Reset { MachineUid = machine.Uid ?? string.Empty, DefaultPolicy = InventoryConversion.ToProto(claim.WipePolicy ?? WipePolicy.Metadata) };
            foreach (var disk in host.Spec?.PersistentDisks ?? [])
            {
                reset.Disks.Add(new DiskWipe { Disk = disk, Policy = Contract.V1.WipePolicy.None });
            }

            desired.Reset = reset;
            return (desired, null);
        }

        var data = await ReadAsync(machine.Namespace, claim.BootstrapDataSecret, cancellationToken).ConfigureAwait(false);
        if (data is null)
        {
            return (null, null);
        }

        desired.Provision = new Provision
        {
            MachineUid = machine.Uid ?? string.Empty,
            Machine = $"{machine.Namespace}/{machine.Name}",
            Cluster = claim.Cluster ?? string.Empty,
            Format = data.Format,
            Metadata = Metadata(host, claim),
            BootstrapDataSha256 = data.Sha256,
            ControlPlane = claim.ControlPlane == true,
        };
        desired.VipRole = ToProto(claim.VipRole);
        return (desired, data);
    }

    /// <summary>The bootstrap data of the host's current claim, or null when the Secret is missing or empty.</summary>
    public async Task<BootstrapData?> ReadAsync(string? namespaceName, string? secretName, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secretName))
        {
            return null;
        }

        Secret secret;
        try
        {
            secret = await secrets.GetAsync(namespaceName, secretName, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            return null;
        }

        if (secret.Data?.GetValueOrDefault(ValueKey) is not { Length: > 0 } value)
        {
            return null;
        }

        var format = secret.Data.GetValueOrDefault(FormatKey) is { } f && Encoding.UTF8.GetString(f) == "ignition"
            ? BootstrapFormat.Ignition
            : BootstrapFormat.CloudConfig;
        return new BootstrapData { Format = format, Data = ByteString.CopyFrom(value), Sha256 = Convert.ToHexStringLower(SHA256.HashData(value)) };
    }

    private static VipRole? ToProto(HostVipRole? role)
    {
        if (role is null)
        {
            return null;
        }

        var proto = new VipRole
        {
            Cluster = role.Cluster ?? string.Empty,
            Vip = role.Vip ?? string.Empty,
            Port = (uint)(role.Port ?? 6443),
            Vrid = (uint)(role.Vrid ?? 0),
            Interface = role.Interface ?? string.Empty,
            LeaseNamespace = role.LeaseNamespace ?? string.Empty,
            LeaseName = role.LeaseName ?? string.Empty,
            AdvertInterval = Duration.FromTimeSpan(VipRoles.AdvertInterval),
            Initializing = role.Initializing == true,
        };
        proto.Peers.AddRange((role.Peers ?? []).Select(p => new VipPeer { Host = p.Host ?? string.Empty, Address = p.Address ?? string.Empty }));
        return proto;
    }

    public static MachineMetadata Metadata(MachineInventory host, HostClaim claim) => new()
    {
        InstanceId = claim.MachineRef?.Name ?? string.Empty,
        LocalHostname = claim.MachineRef?.Name ?? string.Empty,
        ProviderId = ProviderIds.For(host),
        FailureDomain = claim.FailureDomain ?? string.Empty,
    };
}

/// <summary>The provider ID a host gets as a node: <c>baremetal://&lt;namespace&gt;/&lt;host&gt;</c>.</summary>
internal static class ProviderIds
{
    public static string For(MachineInventory host) => $"baremetal://{host.Metadata.Namespace}/{host.Metadata.Name}";
}
