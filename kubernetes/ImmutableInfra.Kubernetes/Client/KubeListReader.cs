using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>
/// Reads a <c>*List</c> body item by item with the kind's own type info, so a CRD kind needs no list type
/// registered in its JSON context.
/// </summary>
internal static class KubeListReader
{
    public static KubeList<T> Read<T>(ReadOnlySpan<byte> body, JsonTypeInfo<T> typeInfo)
        where T : KubeObject
    {
        var reader = new Utf8JsonReader(body);
        var items = new List<T>();
        var metadata = new ListMeta();
        Expect(reader.Read() && reader.TokenType == JsonTokenType.StartObject, "a list object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "metadata":
                    metadata = JsonSerializer.Deserialize(ref reader, KubeClientJsonContext.Default.ListMeta) ?? metadata;
                    break;
                case "items" when reader.TokenType == JsonTokenType.StartArray:
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        items.Add(JsonSerializer.Deserialize(ref reader, typeInfo) ?? throw new JsonException("null list item"));
                    }

                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new KubeList<T>(items, metadata);
    }

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new JsonException($"expected {what}");
        }
    }
}
