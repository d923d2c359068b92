using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Dashboard.Fleet;

/// <summary>
/// A MachineInventory as the dashboard shows it: flattened once when the watch delivers it, so that filtering and
/// sorting 10,000 hosts per request touches only plain fields. <see cref="DecodeError"/> is set when the object
/// the API returned does not decode into our types; the rest then holds only what its metadata says.
/// </summary>
internal sealed record HostView(ObjectMetadata Metadata, string? DecodeError)
{
    public string Pool { get; init; } = string.Empty;

    /// <summary>The state's name, "Unknown" when the coordinator has not set one, "Undecodable" for a broken object.</summary>
    public string State { get; init; } = "Unknown";

    public string? Hostname { get; init; }
    public string? MachineNamespace { get; init; }
    public string? MachineName { get; init; }
    public string? Cluster { get; init; }
    public bool ControlPlane { get; init; }
    public bool Released { get; init; }
    public int? Threads { get; init; }
    public int? Cores { get; init; }
    public string? CpuModel { get; init; }
    public long? MemoryBytes { get; init; }
    public IReadOnlyList<DiskView> Disks { get; init; } = [];
    public IReadOnlyList<string> Addresses { get; init; } = [];
    public string? AgentVersion { get; init; }
    public string? AgentPhase { get; init; }
    public string? FailureReason { get; init; }
    public string? Os { get; init; }
    public string? System { get; init; }
    public string? BootstrapStep { get; init; }
    public string? WipeStep { get; init; }

    /// <summary>Kubernetes versions the host has cached and runs, when its status reports them (agents do not yet).</summary>
    public KubernetesVersionsView? KubernetesVersions { get; init; }

    public DateTimeOffset? LastSeen { get; init; }
    public string? ConnectedTo { get; init; }
    public bool Maintenance { get; init; }
    public VipStatus? Vip { get; init; }
    public IReadOnlyList<ConditionView> Conditions { get; init; } = [];

    /// <summary>Lower-case text the free-text search matches against: name, hostname, addresses, machine, cluster, serial.</summary>
    public string SearchText { get; init; } = string.Empty;

    public string Key => Metadata.Key;
}

/// <summary>One disk of a host with its wipe progress, when a reset is wiping it.</summary>
internal sealed record DiskView(
    string Name,
    string? ByIdPath,
    string Kind,
    long? SizeBytes,
    string? Model,
    bool HoldsOs,
    string? WipeState,
    string? WipePolicy,
    long? WipeBytesDone,
    long? WipeBytesTotal,
    string? WipeReason)
{
    /// <summary>Percent of the wipe done, when both byte counts are known.</summary>
    public int? WipePercent => WipeBytesTotal is > 0 && WipeBytesDone is { } done
        ? (int)Math.Clamp(done * 100 / WipeBytesTotal.Value, 0, 100)
        : null;
}

/// <summary>Kubernetes versions on a host: those its image cache holds and the one its kubelet runs.</summary>
internal sealed record KubernetesVersionsView(IReadOnlyList<string> Cached, string? Active);
