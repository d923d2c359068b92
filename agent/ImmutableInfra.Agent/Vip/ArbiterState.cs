namespace ImmutableInfra.Agent.Vip;

/// <summary>The Lease arbiter's states; the agent README's "VIP arbiter" section has the transition table.</summary>
internal enum ArbiterState
{
    /// <summary>First control plane during `kubeadm init`: holds the VIP by VRRP alone until its apiserver answers.</summary>
    Bootstrapping,

    /// <summary>Another host holds the Lease (or nobody can tell): barred from VRRP MASTER.</summary>
    Following,

    /// <summary>Holds the Lease and renews it: eligible for VRRP MASTER.</summary>
    Leading,

    /// <summary>Was leading; its apiserver answers but the Lease cannot be written (no etcd quorum): keeps the VIP at lower priority.</summary>
    Fallback,

    /// <summary>Graceful stop: demoted and the Lease released.</summary>
    Stopped,
}
