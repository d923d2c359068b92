using System.Text;
using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Lab;

/// <summary>
/// What Cluster API's core, KubeadmControlPlane and MachineDeployment would do in the lab: a Cluster
/// with its BaremetalCluster, and per machine a kubeadm-style bootstrap Secret, a Machine and the
/// BaremetalMachine it owns. It never touches our objects' status: that is the coordinator's job.
/// </summary>
internal sealed class ClusterApiSimulator(KubeClient api, string namespaceName, string clusterName)
{
    public const string Vip = "198.18.255.1";
    public const int Vrid = 51;

    public async Task CreateClusterAsync(CancellationToken ct)
    {
        var cluster = await api.Resource(KubeResources.CapiClusters).CreateAsync(new CapiCluster
        {
            ApiVersion = KubeResources.CapiClusters.ApiVersion,
            Kind = KubeResources.CapiClusters.Kind,
            Metadata = new ObjectMeta { Name = clusterName, Namespace = namespaceName },
            Spec = new CapiClusterSpec
            {
                InfrastructureRef = new ObjectReference
                {
                    ApiVersion = InfrastructureResources.BaremetalClusters.ApiVersion, Kind = InfrastructureResources.BaremetalClusters.Kind, Name = clusterName,
                },
            },
        }, ct).ConfigureAwait(false);
        await api.Resource(InfrastructureResources.BaremetalClusters).CreateAsync(new BaremetalCluster
        {
            ApiVersion = InfrastructureResources.BaremetalClusters.ApiVersion,
            Kind = InfrastructureResources.BaremetalClusters.Kind,
            Metadata = new ObjectMeta
            {
                Name = clusterName,
                Namespace = namespaceName,
                Labels = new() { ["cluster.x-k8s.io/cluster-name"] = clusterName },
                OwnerReferences = [Owner(cluster, "Cluster")],
            },
            Spec = new BaremetalClusterSpec
            {
                ControlPlaneLoadBalancer = new ControlPlaneLoadBalancer { Type = LoadBalancerType.Internal, Vip = Vip, Port = 6443, Vrid = Vrid },
            },
        }, ct).ConfigureAwait(false);
    }

    /// <summary>A machine as KCP (control plane) or a MachineSet (worker) creates it.</summary>
    public async Task CreateMachineAsync(string name, bool controlPlane, bool firstControlPlane, CancellationToken ct)
    {
        var command = controlPlane && firstControlPlane ? "kubeadm init --config /run/kubeadm/kubeadm.yaml" : "kubeadm join --config /run/kubeadm/kubeadm-join-config.yaml";
        var cloudConfig = $$$"""
            ## template: jinja
            #cloud-config
            write_files:
            - path: /run/kubeadm/{{{(firstControlPlane ? "kubeadm.yaml" : "kubeadm-join-config.yaml")}}}
              owner: root:root
              permissions: '0640'
              content: |
                nodeRegistration:
                  name: '{{ ds.meta_data.local_hostname }}'
                  kubeletExtraArgs:
                    provider-id: '{{ ds.meta_data.provider_id }}'
            runcmd:
            - '{{{command}}} && echo success > /run/cluster-api/bootstrap-success.complete'
            """;
        var labels = new Dictionary<string, string> { ["cluster.x-k8s.io/cluster-name"] = clusterName };
        if (controlPlane)
        {
            labels["cluster.x-k8s.io/control-plane"] = string.Empty;
        }

        await api.Resource(KubeResources.Secrets).CreateAsync(new Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = "cluster.x-k8s.io/secret",
            Metadata = new ObjectMeta { Name = name + "-bootstrap", Namespace = namespaceName, Labels = new(labels) },
            Data = new() { ["value"] = Encoding.UTF8.GetBytes(cloudConfig), ["format"] = "cloud-config"u8.ToArray() },
        }, ct).ConfigureAwait(false);
        var machine = await api.Resource(KubeResources.CapiMachines).CreateAsync(new CapiMachine
        {
            ApiVersion = KubeResources.CapiMachines.ApiVersion,
            Kind = KubeResources.CapiMachines.Kind,
            Metadata = new ObjectMeta { Name = name, Namespace = namespaceName, Labels = new(labels) },
            Spec = new CapiMachineSpec
            {
                ClusterName = clusterName,
                Version = "v1.34.1",
                Bootstrap = new CapiBootstrap { DataSecretName = name + "-bootstrap" },
                InfrastructureRef = new ObjectReference
                {
                    ApiVersion = InfrastructureResources.BaremetalMachines.ApiVersion, Kind = InfrastructureResources.BaremetalMachines.Kind, Name = name,
                },
            },
        }, ct).ConfigureAwait(false);
        await api.Resource(InfrastructureResources.BaremetalMachines).CreateAsync(new BaremetalMachine
        {
            ApiVersion = InfrastructureResources.BaremetalMachines.ApiVersion,
            Kind = InfrastructureResources.BaremetalMachines.Kind,
            Metadata = new ObjectMeta { Name = name, Namespace = namespaceName, Labels = new(labels), OwnerReferences = [Owner(machine, "Machine")] },
            Spec = new BaremetalMachineSpec
            {
                PoolRef = new LocalObjectReference { Name = LabEnvironment.PoolName },
                HostSelector = new HostSelector { MinCpu = 2, MinMemory = new ResourceQuantity("4Gi") },
            },
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Deletes a machine the way Cluster API does: the Machine and its infrastructure object.</summary>
    public async Task DeleteMachineAsync(string name, CancellationToken ct)
    {
        await api.Resource(InfrastructureResources.BaremetalMachines).DeleteAsync(namespaceName, name, null, ct).ConfigureAwait(false);
        await api.Resource(KubeResources.CapiMachines).DeleteAsync(namespaceName, name, null, ct).ConfigureAwait(false);
    }

    private static OwnerReference Owner(KubeObject owner, string kind) => new()
    {
        ApiVersion = owner.ApiVersion,
        Kind = kind,
        Name = owner.Metadata.Name,
        Uid = owner.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
