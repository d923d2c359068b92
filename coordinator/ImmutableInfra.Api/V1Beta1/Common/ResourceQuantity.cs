using System.Globalization;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>
/// A Kubernetes resource quantity (<c>64Gi</c>, <c>500G</c>, <c>1e9</c> or a plain integer), kept as the text
/// the user wrote. It is parsed where it is used rather than on read, so one malformed value cannot make a
/// whole list or watch unreadable.
/// </summary>
[JsonConverter(typeof(ResourceQuantityConverter))]
public readonly record struct ResourceQuantity(string Value)
{
    private static readonly (string Suffix, decimal Multiplier)[] Suffixes =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40), ("Pi", 1L << 50), ("Ei", 1L << 60),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m),
        ("k", 1_000m), ("M", 1_000_000m), ("G", 1_000_000_000m), ("T", 1_000_000_000_000m),
        ("P", 1_000_000_000_000_000m), ("E", 1_000_000_000_000_000_000m),
    ];

    public override string ToString() => Value ?? string.Empty;

    /// <summary>
    /// The quantity as an integer, rounded up away from zero as Kubernetes' <c>Quantity.Value()</c> does
    /// (so <c>1.5k</c> is 1500 and <c>1m</c> is 1). False when the text is not a quantity or exceeds int64.
    /// </summary>
    public bool TryToInt64(out long result)
    {
        result = 0;
        if (string.IsNullOrEmpty(Value) || !TrySplit(Value, out var number, out var multiplier))
        {
            return false;
        }

        if (!decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var mantissa))
        {
            return false;
        }

        try
        {
            var exact = mantissa * multiplier;
            var rounded = exact >= 0 ? decimal.Ceiling(exact) : decimal.Floor(exact);
            if (rounded is > long.MaxValue or < long.MinValue)
            {
                return false;
            }

            result = (long)rounded;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static bool TrySplit(string text, out string number, out decimal multiplier)
    {
        var end = 0;
        if (end < text.Length && text[end] is '+' or '-')
        {
            end++;
        }

        var digits = 0;
        var dots = 0;
        while (end < text.Length && (char.IsAsciiDigit(text[end]) || text[end] == '.'))
        {
            if (text[end] == '.')
            {
                dots++;
            }
            else
            {
                digits++;
            }

            end++;
        }

        number = text[..end];
        multiplier = 1;
        if (digits == 0 || dots > 1)
        {
            return false;
        }

        var suffix = text[end..];
        if (suffix.Length == 0)
        {
            return true;
        }

        foreach (var (name, value) in Suffixes)
        {
            if (suffix == name)
            {
                multiplier = value;
                return true;
            }
        }

        return TryExponent(suffix, out multiplier);
    }

    private static bool TryExponent(string suffix, out decimal multiplier)
    {
        multiplier = 1;
        if (suffix.Length < 2 || suffix[0] is not ('e' or 'E')
            || !int.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent)
            || exponent is < -27 or > 27)
        {
            return false;
        }

        for (var i = 0; i < Math.Abs(exponent); i++)
        {
            multiplier = exponent > 0 ? multiplier * 10 : multiplier / 10;
        }

        return true;
    }
}
