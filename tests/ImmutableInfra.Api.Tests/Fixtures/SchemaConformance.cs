using System.Globalization;
using System.Text.Json.Nodes;

namespace ImmutableInfra.Api.Tests.Fixtures;

/// <summary>
/// Turns a fully populated sample into one its CRD accepts (the in-memory server validates as a real one does):
/// enums take their first value, patterned strings an example of the pattern, lengths and bounds are respected.
/// Every field stays set, so the round trip still shows a field the CRD does not declare.
/// </summary>
public static class SchemaConformance
{
    // One valid example per pattern our CRDs use.
    private static readonly Dictionary<string, string> Examples = new(StringComparer.Ordinal)
    {
        ["^[0-9A-Fa-f:.]+$"] = "192.0.2.10",
        ["^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"] = "4c4c4544-0000-1000-8000-000000000001",
        ["^([0-9a-f]{2}:){5}[0-9a-f]{2}$"] = "52:54:00:12:34:56",
        ["^sha256:[0-9a-f]{64}$"] = "sha256:" + new string('a', 64),
        ["^([A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?)?$"] = "SampleReason",
    };

    public static JsonNode Conform(JsonNode sample, JsonObject schema)
    {
        Walk(sample, schema);
        return sample;
    }

    /// <summary>The sample without the unknown fields <see cref="SampleObjects"/> adds: what a real server keeps.</summary>
    public static JsonNode WithoutUnknownFields(JsonNode node)
    {
        var copy = node.DeepClone();
        Strip(copy);
        return copy;
    }

    private static void Walk(JsonNode node, JsonObject schema)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    var property = schema["properties"]?[name] as JsonObject ?? schema["additionalProperties"] as JsonObject;
                    if (child is null || property is null)
                    {
                        continue;
                    }

                    if (child is JsonValue && Fixed(child, property) is { } value)
                    {
                        obj[name] = value;
                    }
                    else
                    {
                        Walk(child, property);
                    }
                }

                break;
            case JsonArray array when schema["items"] is JsonObject items:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue && Fixed(array[i]!, items) is { } value)
                    {
                        array[i] = value;
                    }
                    else if (array[i] is { } element)
                    {
                        Walk(element, items);
                    }
                }

                break;
        }
    }

    private static JsonNode? Fixed(JsonNode value, JsonObject schema)
    {
        if (schema["enum"] is JsonArray { Count: > 0 } allowed)
        {
            return allowed[0]!.DeepClone();
        }

        if (value is JsonValue v && v.TryGetValue<string>(out var text))
        {
            if (schema["pattern"]?.GetValue<string>() is { } pattern && schema["x-kubernetes-int-or-string"] is null)
            {
                text = Examples.TryGetValue(pattern, out var example) ? example : text;
            }

            if (schema["maxLength"] is JsonValue max && int.Parse(max.ToJsonString(), CultureInfo.InvariantCulture) is var limit && text.Length > limit)
            {
                text = text[..limit];
            }

            return text;
        }

        if (value is JsonValue n && n.TryGetValue<long>(out var number) && schema["maximum"] is JsonValue maximum)
        {
            return Math.Min(number, long.Parse(maximum.ToJsonString(), CultureInfo.InvariantCulture));
        }

        return null;
    }

    private static void Strip(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                obj.Remove("futureField");
                foreach (var (_, child) in obj)
                {
                    if (child is not null)
                    {
                        Strip(child);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        Strip(child);
                    }
                }

                break;
        }
    }
}
