using System.Globalization;

namespace ImmutableInfra.Coordinator.Cli;

/// <summary>kubectl-style ages: 45s, 12m, 3h, 5d.</summary>
internal static class Ages
{
    public static string Since(DateTimeOffset? time, DateTimeOffset now)
    {
        if (time is null)
        {
            return "<unknown>";
        }

        var age = now - time.Value;
        return age.TotalSeconds < 120 ? Format(age.TotalSeconds, "s")
            : age.TotalMinutes < 120 ? Format(age.TotalMinutes, "m")
            : age.TotalHours < 48 ? Format(age.TotalHours, "h")
            : Format(age.TotalDays, "d");
    }

    private static string Format(double value, string unit) => Math.Max(0, (int)value).ToString(CultureInfo.InvariantCulture) + unit;
}
