namespace ImmutableInfra.Kubernetes.Config;

/// <summary>Where the API server is and how to authenticate to it; produced by the config loaders.</summary>
public sealed class KubeConnectionSettings
{
    public required Uri Server { get; init; }

    /// <summary>PEM bundle of the CAs that sign the server certificate; null means the system store.</summary>
    public string? CertificateAuthorityPem { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>PEM client certificate (with <see cref="ClientKeyPem"/>) for mutual TLS.</summary>
    public string? ClientCertificatePem { get; init; }

    public string? ClientKeyPem { get; init; }

    /// <summary>A static bearer token. Never log it.</summary>
    public string? Token { get; init; }

    /// <summary>A file holding the bearer token; re-read periodically because it rotates.</summary>
    public string? TokenFile { get; init; }

    /// <summary>The namespace of the selected context (or the service account's), if any.</summary>
    public string? Namespace { get; init; }
}
