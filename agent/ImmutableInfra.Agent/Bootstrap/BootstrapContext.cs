using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Bootstrap;

/// <summary>What steps act through: the host root, the command runner, systemd and the limits.</summary>
internal sealed record BootstrapContext(HostRoot Root, ICommandRunner Runner, ISystemd Systemd, BootstrapOptions Options);
