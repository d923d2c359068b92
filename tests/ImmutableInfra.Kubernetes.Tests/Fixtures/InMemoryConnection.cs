using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.KubeApiServer;

namespace ImmutableInfra.Kubernetes.Tests.Fixtures;

/// <summary>Our client's connection to an in-memory server (the server knows nothing of our client).</summary>
internal static class InMemoryConnection
{
    public static KubeConnectionSettings ConnectionSettings(this InMemoryKubeApiServer server, string? token = null) => new()
    {
        Server = server.Url,
        CertificateAuthorityPem = server.CertificateAuthorityPem,
        Token = token,
        Namespace = "default",
    };
}
