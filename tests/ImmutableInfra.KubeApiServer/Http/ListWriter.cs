using System.Globalization;
using System.Text.Json;
using ImmutableInfra.KubeApiServer.Storage;

namespace ImmutableInfra.KubeApiServer.Http;

/// <summary>Writes a <c>{Kind}List</c> body from stored JSON without re-serialising the items.</summary>
internal static class ListWriter
{
    public static void Write(Utf8JsonWriter json, ResourceType type, ListResult page)
    {
        json.WriteStartObject();
        json.WriteString("kind", $"{type.Kind}List");
        json.WriteString("apiVersion", type.ApiVersion);
        json.WriteStartObject("metadata");
        json.WriteString("resourceVersion", page.ResourceVersion.ToString(CultureInfo.InvariantCulture));
        if (page.Continue is not null)
        {
            json.WriteString("continue", page.Continue);
            json.WriteNumber("remainingItemCount", page.RemainingItemCount ?? 0);
        }

        json.WriteEndObject();
        json.WriteStartArray("items");
        foreach (var item in page.Items)
        {
            json.WriteRawValue(item.Json, skipInputValidation: true);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
