using ImmutableInfra.Agent.Platform;

namespace ImmutableInfra.Agent.Inventory;

/// <summary>The mounts of /proc/self/mountinfo: device number, source and mount point.</summary>
internal sealed class MountTable(HostRoot root)
{
    public IReadOnlyList<MountEntry> Read()
    {
        var mounts = new List<MountEntry>();
        foreach (var line in (root.ReadText("/proc/self/mountinfo") ?? string.Empty).Split('\n'))
        {
            // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-");
            if (fields.Length < 5 || separator < 0 || separator + 2 >= fields.Length)
            {
                continue;
            }

            mounts.Add(new MountEntry(fields[2], Unescape(fields[4]), fields[separator + 1], Unescape(fields[separator + 2])));
        }

        return mounts;
    }

    // mountinfo octal-escapes space, tab, newline and backslash.
    private static string Unescape(string field) =>
        field.Replace("\\040", " ", StringComparison.Ordinal).Replace("\\011", "\t", StringComparison.Ordinal)
            .Replace("\\012", "\n", StringComparison.Ordinal).Replace("\\134", "\\", StringComparison.Ordinal);
}

/// <summary>One mounted filesystem.</summary>
internal sealed record MountEntry(string MajorMinor, string MountPoint, string FileSystemType, string Source);
