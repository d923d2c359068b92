namespace ImmutableInfra.Kubernetes.Config;

/// <summary>A kubeconfig or in-cluster configuration that cannot be used; the message names the broken field.</summary>
public sealed class KubeConfigException : Exception
{
    public KubeConfigException()
    {
    }

    public KubeConfigException(string message)
        : base(message)
    {
    }

    public KubeConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
