using System.Text.Json;
using System.Text.Json.Serialization;

namespace ImmutableInfra.Api.V1Beta1;

/// <summary>Reads a quantity written as a string or a bare number (the schema says int-or-string); writes a string.</summary>
public sealed class ResourceQuantityConverter : JsonConverter<ResourceQuantity>
{
    public override ResourceQuantity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => new ResourceQuantity(reader.GetString()!),
            JsonTokenType.Number => new ResourceQuantity(System.Text.Encoding.UTF8.GetString(reader.ValueSpan)),
            _ => throw new JsonException($"a quantity must be a string or a number, not {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, ResourceQuantity value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.Value);
    }
}
