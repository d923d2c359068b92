using System.Text;

namespace ImmutableInfra.Enrollment;

/// <summary>What a host needs to enroll into a pool: where the coordinator is, how to trust it, the pool and its token, and the agent package.</summary>
public sealed record EnrollmentConfig
{
    /// <summary>The coordinator's agent API, e.g. <c>https://coordinator.example.internal:9443</c>.</summary>
    public required Uri CoordinatorUrl { get; init; }

    /// <summary>PEM certificates the coordinator's serving certificate must chain to; null trusts the host's system store.</summary>
    public string? CaBundlePem { get; init; }

    /// <summary>Plaintext gRPC (an <c>http://</c> coordinator URL); for labs only, and refused unless set.</summary>
    public bool InsecurePlaintext { get; init; }

    /// <summary><c>namespace/name</c> of the MachineInventoryPool.</summary>
    public required string Pool { get; init; }

    /// <summary>The pool's registration token. Written only into agent.yaml (mode 0600); never printed.</summary>
    public required string PoolToken { get; init; }

    /// <summary>An http(s) URL of the agent RPM, or the name of a package in a repository the host has.</summary>
    public required string AgentPackage { get; init; }

    /// <summary>Static addresses for hosts without DHCP; null leaves networking to the OS defaults.</summary>
    public StaticNetwork? Network { get; init; }

    // Records print every property; the token must not reach a log through ToString().
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("CoordinatorUrl = ").Append(CoordinatorUrl)
            .Append(", CaBundlePem = ").Append(CaBundlePem is null ? "null" : "(set)")
            .Append(", InsecurePlaintext = ").Append(InsecurePlaintext)
            .Append(", Pool = ").Append(Pool)
            .Append(", PoolToken = (redacted), AgentPackage = ").Append(AgentPackage)
            .Append(", Network = ").Append(Network);
        return true;
    }
}
