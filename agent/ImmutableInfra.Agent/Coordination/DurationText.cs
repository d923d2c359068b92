using System.Globalization;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>Short durations for STATUS= ("850ms", "8s", "5m"), in the config's own notation.</summary>
internal static class DurationText
{
    public static string Format(TimeSpan duration) => duration switch
    {
        { TotalSeconds: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMilliseconds}ms"),
        { TotalMinutes: < 2 } => string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Round(duration.TotalSeconds)}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)Math.Round(duration.TotalMinutes)}m"),
    };
}
