using System.Reflection;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>The version this agent reports in Register and SyncHello.</summary>
internal static class AgentVersion
{
    public static string Current { get; } =
        typeof(AgentVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(AgentVersion).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
