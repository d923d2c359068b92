using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Client;

/// <summary>Parses one watch line (<c>{"type":..,"object":{..}}</c>) straight into the kind's type.</summary>
internal static class WatchLineParser
{
    public static WatchEvent<T> Parse<T>(ReadOnlySpan<byte> line, JsonTypeInfo<T> typeInfo)
        where T : KubeObject
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("watch line is not a JSON object");
        }

        string? type = null;
        int start = -1, end = -1;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            if (name == "type")
            {
                type = reader.GetString();
            }
            else if (name == "object")
            {
                start = (int)reader.TokenStartIndex;
                reader.Skip();
                end = (int)reader.BytesConsumed;
            }
            else
            {
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || start < 0 || type is null)
        {
            throw new JsonException("watch line lacks type or object");
        }

        var objectJson = line[start..end];
        return type switch
        {
            "ADDED" => new(WatchEventType.Added, Deserialize(objectJson, typeInfo), null),
            "MODIFIED" => new(WatchEventType.Modified, Deserialize(objectJson, typeInfo), null),
            "DELETED" => new(WatchEventType.Deleted, Deserialize(objectJson, typeInfo), null),
            "BOOKMARK" => new(WatchEventType.Bookmark, Deserialize(objectJson, typeInfo), null),
            "ERROR" => new(WatchEventType.Error, null, JsonSerializer.Deserialize(objectJson, KubeClientJsonContext.Default.KubeStatus)),
            _ => throw new JsonException($"unknown watch event type \"{type}\""),
        };
    }

    private static T Deserialize<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(json, typeInfo) ?? throw new JsonException("null watch object");
}
