using System.Globalization;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Inventory;

/// <summary>Reads MemTotal from /proc/meminfo.</summary>
internal sealed class MemoryReader(HostRoot root)
{
    public MemoryInfo Read()
    {
        foreach (var line in (root.ReadText("/proc/meminfo") ?? string.Empty).Split('\n'))
        {
            if (!line.StartsWith("MemTotal:", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line["MemTotal:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0 && ulong.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
            {
                return new MemoryInfo { TotalBytes = kib * 1024 };
            }
        }

        return new MemoryInfo();
    }
}
