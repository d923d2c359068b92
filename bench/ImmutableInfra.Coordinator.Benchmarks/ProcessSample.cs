using System.Globalization;

namespace ImmutableInfra.Coordinator.Benchmarks;

/// <summary>One process's CPU time and memory as the kernel counts them (/proc/&lt;pid&gt;/stat and status).</summary>
internal readonly record struct ProcessSample(TimeSpan CpuTime, long RssBytes, long PeakRssBytes)
{
    // USER_HZ: 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    public static ProcessSample Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may contain spaces.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = Kilobytes(line) * 1024;
            }
        }

        return new ProcessSample(TimeSpan.FromSeconds((utime + stime) / TicksPerSecond), rss, hwm);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
