using System.Globalization;

namespace ImmutableInfra.Grpc;

/// <summary>Parses and formats the <c>grpc-timeout</c> header: 1 to 8 ASCII digits and a unit (H M S m u n).</summary>
public static class GrpcTimeout
{
    private const int MaxDigits = 8;
    private const long MaxValue = 99_999_999;

    // Nanoseconds per unit, smallest first, so Format picks the finest unit that fits in 8 digits.
    private static readonly (char Unit, long Nanoseconds)[] Units =
    [
        ('n', 1L),
        ('u', 1_000L),
        ('m', 1_000_000L),
        ('S', 1_000_000_000L),
        ('M', 60L * 1_000_000_000L),
        ('H', 3600L * 1_000_000_000L),
    ];

    /// <summary>The largest timeout the header can express (99,999,999 hours).</summary>
    public static TimeSpan MaxTimeout { get; } = TimeSpan.FromHours(MaxValue);

    /// <summary>Parses a header value; false for anything that is not 1-8 digits followed by a unit.</summary>
    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = TimeSpan.Zero;
        if (value is null || value.Length < 2 || value.Length > MaxDigits + 1)
        {
            return false;
        }

        long amount = 0;
        for (var i = 0; i < value.Length - 1; i++)
        {
            var c = value[i];
            if (c is < '0' or > '9')
            {
                return false;
            }

            amount = (amount * 10) + (c - '0');
        }

        var nanosecondsPerUnit = NanosecondsPer(value[^1]);
        if (nanosecondsPerUnit == 0)
        {
            return false;
        }

        // 99,999,999 hours is about 4.2 million days, within TimeSpan's range; ticks are 100 ns.
        timeout = nanosecondsPerUnit >= 100
            ? TimeSpan.FromTicks(amount * (nanosecondsPerUnit / 100))
            : TimeSpan.FromTicks(amount / 100);
        return true;
    }

    /// <summary>Formats a timeout in the finest unit that fits in 8 digits, rounding up; at least 1n.</summary>
    public static string Format(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return "1n";
        }

        if (timeout >= MaxTimeout)
        {
            return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
        }

        // Ticks are 100 ns; TimeSpan.MaxValue in ns overflows long, but MaxTimeout (checked above) does not.
        var nanoseconds = timeout.Ticks * 100;
        foreach (var (unit, perUnit) in Units)
        {
            var amount = (nanoseconds + perUnit - 1) / perUnit;
            if (amount <= MaxValue)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{amount}{unit}");
            }
        }

        return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
    }

    private static long NanosecondsPer(char unit)
    {
        foreach (var (u, perUnit) in Units)
        {
            if (u == unit)
            {
                return perUnit;
            }
        }

        return 0;
    }
}
