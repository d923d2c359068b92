using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>RFC 3339 timestamps in UTC, read in any precision and written in one fixed format.</summary>
public abstract class KubeTimestampConverter(string format) : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // A JsonException (not FormatException) so a bad timestamp in a watch event is handled like any bad line.
        var text = reader.GetString();
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new JsonException($"'{text}' is not an RFC 3339 timestamp.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString(format, CultureInfo.InvariantCulture));
    }
}
