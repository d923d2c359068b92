using System.Globalization;

namespace ImmutableInfra.Dashboard.Web;

/// <summary>Sizes and ages as people read them.</summary>
internal static class Format
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Bytes(long? bytes)
    {
        if (bytes is not { } b || b < 0)
        {
            return "—";
        }

        double value = b;
        var unit = 0;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{b} B" : value.ToString(value >= 100 ? "0" : "0.#", CultureInfo.InvariantCulture) + " " + Units[unit];
    }

    public static string Ago(DateTimeOffset at, DateTimeOffset now) => Span(now - at) + (now >= at ? " ago" : " ahead");

    public static string Span(TimeSpan span)
    {
        var s = span.Duration();
        return s.TotalSeconds < 60 ? $"{(int)s.TotalSeconds}s"
            : s.TotalMinutes < 60 ? $"{(int)s.TotalMinutes}m"
            : s.TotalHours < 48 ? $"{(int)s.TotalHours}h"
            : $"{(int)s.TotalDays}d";
    }
}
