using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>Kubernetes <c>metav1.MicroTime</c> (Lease times): RFC 3339 in UTC with six fraction digits.</summary>
public sealed class KubeMicroTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
    }
}
