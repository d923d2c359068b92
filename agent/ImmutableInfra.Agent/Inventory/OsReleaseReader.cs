using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Inventory;

/// <summary>Reads /etc/os-release (or /usr/lib/os-release) and the kernel release.</summary>
internal sealed class OsReleaseReader(HostRoot root)
{
    public OsInfo Read()
    {
        var text = root.ReadText("/etc/os-release") ?? root.ReadText("/usr/lib/os-release") ?? string.Empty;
        var info = new OsInfo { Kernel = root.ReadTrimmed("/proc/sys/kernel/osrelease") ?? string.Empty };
        foreach (var line in text.Split('\n'))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var value = line[(equals + 1)..].Trim().Trim('"');
            switch (line[..equals])
            {
                case "PRETTY_NAME":
                    info.Name = value;
                    break;
                case "VERSION_ID":
                    info.Version = value;
                    break;
                default:
                    break;
            }
        }

        return info;
    }
}
