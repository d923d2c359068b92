using System.Security.Cryptography;
using System.Text;
using ImmutableInfra.Contract.V1;
using ContractReset = ImmutableInfra.Contract.V1.Reset;

namespace ImmutableInfra.Agent.Tests.Coordination;

/// <summary>Desired states and bootstrap data the coordination tests send.</summary>
internal static class Desired
{
    public const string MachineUid = "6f1c2b9e-3d4a-4c1e-9b7a-2f0e5d8c1a11";

    /// <summary>A marker that must never appear in a log line: it stands for the cluster secrets in real bootstrap data.</summary>
    public const string SecretMarker = "bootstrap-token-abcdef.0123456789abcdef";

    /// <summary>Four steps: a file, then three commands; the last writes CAPI's sentinel.</summary>
    public static byte[] CloudConfig { get; } = Encoding.UTF8.GetBytes($$$"""
        #cloud-config
        write_files:
          - path: /etc/kubernetes/kubeadm-join-config.yaml
            permissions: '0600'
            content: |
              token: {{{SecretMarker}}}
              nodeName: {{ ds.meta_data.local_hostname }}
        runcmd:
          - echo preparing
          - kubeadm join --config /etc/kubernetes/kubeadm-join-config.yaml
          - echo success > /run/cluster-api/bootstrap-success.complete
        """);

    public static DesiredState Provision(long generation, byte[]? data = null) => new()
    {
        Generation = generation,
        Provision = new Provision
        {
            MachineUid = MachineUid,
            Machine = "default/prod-md-0-x7k2p",
            Cluster = "default/prod",
            Format = BootstrapFormat.CloudConfig,
            BootstrapDataSha256 = Convert.ToHexStringLower(SHA256.HashData(data ?? CloudConfig)),
            Metadata = new MachineMetadata { InstanceId = MachineUid, LocalHostname = "prod-md-0-x7k2p", ProviderId = "baremetal://default/host-r650-07" },
        },
    };

    public static DesiredState Reset(long generation) => new()
    {
        Generation = generation,
        Reset = new ContractReset { MachineUid = MachineUid, DefaultPolicy = WipePolicy.Metadata },
    };

    public static DesiredState Idle(long generation) => new() { Generation = generation, Idle = new Idle() };
}
