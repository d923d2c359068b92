using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Bootstrap.Steps;

/// <summary>Looks users up in the root's /etc/passwd (not the agent's own NSS: the root may be a fixture).</summary>
internal static class PasswdFile
{
    public static string? HomeOf(HostRoot root, string user)
    {
        foreach (var line in (root.ReadText("/etc/passwd") ?? string.Empty).Split('\n'))
        {
            var fields = line.Split(':');
            if (fields.Length >= 7 && fields[0] == user)
            {
                return fields[5];
            }
        }

        return null;
    }
}
