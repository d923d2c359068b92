using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Api.Tests.Fixtures;

/// <summary>
/// Builds objects with every property set, from the source-generated metadata, so a round trip that drops
/// any field shows up without a hand-written sample per kind.
/// </summary>
public static class SampleObjects
{
    public static readonly DateTimeOffset Time = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>The JSON of a fully populated value of the type, with an unknown field added to every object.</summary>
    public static JsonNode Populated(Type type)
    {
        var value = Fill(type, type.Name);
        var node = JsonSerializer.SerializeToNode(value, type, ApiJsonContext.Default)!;
        AddUnknownFields(node);
        return node;
    }

    private static object? Fill(Type type, string name)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(ResourceQuantity))
        {
            return new ResourceQuantity("64Gi");
        }

        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue(values.Length - 1);
        }

        if (type == typeof(string))
        {
            return $"sample-{name.ToLowerInvariant()}";
        }

        if (type == typeof(bool))
        {
            return true;
        }

        if (type == typeof(int))
        {
            return 7;
        }

        if (type == typeof(long))
        {
            return 1L << 40;
        }

        if (type == typeof(DateTimeOffset))
        {
            return Time;
        }

        var info = ApiJsonContext.Default.GetTypeInfo(type)!;
        var instance = info.CreateObject?.Invoke() ?? Activator.CreateInstance(type)!;
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Enumerable:
                ((IList)instance).Add(Fill(info.ElementType!, name));
                break;
            case JsonTypeInfoKind.Dictionary:
                ((IDictionary)instance)["sample.io/key"] = Fill(info.ElementType!, name);
                break;
            case JsonTypeInfoKind.Object:
                foreach (var property in info.Properties.Where(p => !p.IsExtensionData && p.Set is not null))
                {
                    property.Set!(instance, Fill(property.PropertyType, property.Name));
                }

                break;
        }

        return instance;
    }

    private static void AddUnknownFields(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj.ToList())
                {
                    if (child is not null)
                    {
                        AddUnknownFields(child);
                    }
                }

                // Maps take any key anyway; only typed objects prove unknown-field retention.
                if (!obj.ContainsKey("sample.io/key"))
                {
                    obj["futureField"] = new JsonObject { ["added"] = "later" };
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        AddUnknownFields(child);
                    }
                }

                break;
        }
    }
}
