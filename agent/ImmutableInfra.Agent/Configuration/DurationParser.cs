using System.Globalization;

namespace ImmutableInfra.Agent.Configuration;

/// <summary>Parses Go/Kubernetes-style durations ("500ms", "30s", "5m", "1h", "1m30s").</summary>
internal static class DurationParser
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var rest = text.Trim();
        if (rest.Length == 0)
        {
            return false;
        }

        while (rest.Length > 0)
        {
            var digits = 0;
            while (digits < rest.Length && (char.IsAsciiDigit(rest[digits]) || rest[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || !double.TryParse(rest.AsSpan(0, digits), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            rest = rest[digits..];
            var unit = rest.StartsWith("ms", StringComparison.Ordinal) ? "ms" : rest.Length > 0 ? rest[..1] : string.Empty;
            var scale = unit switch
            {
                "ms" => TimeSpan.FromMilliseconds(1),
                "s" => TimeSpan.FromSeconds(1),
                "m" => TimeSpan.FromMinutes(1),
                "h" => TimeSpan.FromHours(1),
                _ => TimeSpan.Zero,
            };
            if (scale == TimeSpan.Zero)
            {
                return false;
            }

            value += scale * number;
            rest = rest[unit.Length..];
        }

        return true;
    }
}
