using System.Text;

namespace ImmutableInfra.Kubernetes.Config;

/// <summary>
/// In-cluster configuration from the pod's service account. The token is returned as a file so the
/// client re-reads it when it rotates.
/// </summary>
/// <param name="rootDirectory">Root of the file system ("/" in a pod; a fixture tree in tests).</param>
/// <param name="environment">Environment variable lookup.</param>
public sealed class InClusterConfigLoader(string rootDirectory, Func<string, string?> environment)
{
    private const string ServiceAccountDirectory = "var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>A loader over the real root file system and process environment.</summary>
    public static InClusterConfigLoader FromProcess() => new("/", Environment.GetEnvironmentVariable);

    /// <summary>True when the pod environment variables are present.</summary>
    public bool IsInCluster =>
        !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_HOST")) && !string.IsNullOrEmpty(environment("KUBERNETES_SERVICE_PORT"));

    /// <summary>Builds the connection settings, or throws <see cref="KubeConfigException"/> naming what is missing.</summary>
    public KubeConnectionSettings Load()
    {
        var host = environment("KUBERNETES_SERVICE_HOST");
        var port = environment("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeConfigException("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT: not set (not running in a pod)");
        }

        if (!int.TryParse(port, out var portNumber) || portNumber is < 1 or > 65535)
        {
            throw new KubeConfigException($"KUBERNETES_SERVICE_PORT: not a port number: {port}");
        }

        var directory = Path.Combine(rootDirectory, ServiceAccountDirectory);
        var tokenFile = Path.Combine(directory, "token");
        if (!File.Exists(tokenFile))
        {
            throw new KubeConfigException($"{tokenFile}: service account token missing");
        }

        var caFile = Path.Combine(directory, "ca.crt");
        var namespaceFile = Path.Combine(directory, "namespace");
        var hostPart = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
        return new KubeConnectionSettings
        {
            Server = new Uri($"https://{hostPart}:{portNumber}"),
            CertificateAuthorityPem = File.Exists(caFile) ? File.ReadAllText(caFile, Encoding.UTF8) : null,
            TokenFile = tokenFile,
            Namespace = File.Exists(namespaceFile) ? File.ReadAllText(namespaceFile, Encoding.UTF8).Trim() : null,
        };
    }
}
