namespace ImmutableInfra.Agent.Vip;

/// <summary>Opens a connection to this host's apiserver, when a usable kubeconfig exists yet.</summary>
internal interface ILeaseApiConnector
{
    /// <summary>Null while no kubeconfig usable for <paramref name="initializing"/> exists (before `kubeadm init`/`join` wrote one).</summary>
    LeaseApi? TryConnect(bool initializing, string leaseNamespace, string leaseName);
}
