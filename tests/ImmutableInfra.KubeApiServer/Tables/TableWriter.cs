using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer.Storage;

namespace ImmutableInfra.KubeApiServer.Tables;

/// <summary>
/// Server-side printing (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>): a meta.k8s.io/v1 Table with
/// the kind's columns, each row carrying the object as <c>includeObject</c> asks (PartialObjectMetadata by default).
/// </summary>
internal static class TableWriter
{
    public const string MediaType = "application/json;as=Table;v=v1;g=meta.k8s.io";

    /// <summary>True when the Accept header asks for a Table (v1 or v1beta1) before anything else.</summary>
    public static bool Wanted(string? accept) =>
        accept is not null && accept.Split(',')[0].Replace(" ", string.Empty, StringComparison.Ordinal).Contains("as=Table", StringComparison.Ordinal);

    /// <summary>A one-row Table as a watch event's object.</summary>
    public static byte[] Serialize(ResourceType type, StoredObject item, string? includeObject, DateTimeOffset now)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Http.JsonText.WriterOptions))
        {
            Write(json, type, [item], item.ResourceVersion, null, includeObject, now);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter json, ResourceType type, IReadOnlyList<StoredObject> items, long resourceVersion, string? continueToken, string? includeObject, DateTimeOffset now)
    {
        json.WriteStartObject();
        json.WriteString("kind", "Table");
        json.WriteString("apiVersion", "meta.k8s.io/v1");
        json.WriteStartObject("metadata");
        json.WriteString("resourceVersion", resourceVersion.ToString(CultureInfo.InvariantCulture));
        if (continueToken is not null)
        {
            json.WriteString("continue", continueToken);
        }

        json.WriteEndObject();
        var columns = type.Columns;
        json.WriteStartArray("columnDefinitions");
        foreach (var column in columns)
        {
            json.WriteStartObject();
            json.WriteString("name", column.Name);
            json.WriteString("type", column.Type);
            json.WriteString("format", column.Format);
            json.WriteString("description", column.Description);
            json.WriteNumber("priority", column.Priority);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("rows");
        foreach (var item in items)
        {
            var node = item.ToNode();
            json.WriteStartObject();
            json.WriteStartArray("cells");
            foreach (var column in columns)
            {
                if (column.Cell(node, now) is { } cell)
                {
                    cell.WriteTo(json);
                }
                else
                {
                    json.WriteNullValue();
                }
            }

            json.WriteEndArray();
            switch (includeObject)
            {
                case "None":
                    break;
                case "Object":
                    json.WritePropertyName("object");
                    json.WriteRawValue(item.Json, skipInputValidation: true);
                    break;
                default:
                    json.WritePropertyName("object");
                    new JsonObject
                    {
                        ["kind"] = "PartialObjectMetadata",
                        ["apiVersion"] = "meta.k8s.io/v1",
                        ["metadata"] = node["metadata"]?.DeepClone(),
                    }.WriteTo(json);
                    break;
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
