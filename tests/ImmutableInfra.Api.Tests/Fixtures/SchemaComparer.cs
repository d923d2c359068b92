using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ImmutableInfra.Api.V1Beta1;

namespace ImmutableInfra.Api.Tests.Fixtures;

/// <summary>
/// Walks the JSON shape of a C# type (from its source-generated metadata) beside an OpenAPI v3 schema and
/// lists every disagreement, in both directions: names, nesting, arrays, maps, scalar types and enums.
/// </summary>
public static class SchemaComparer
{
    public static IReadOnlyList<string> Compare(Type type, JsonObject schema, string path)
    {
        var problems = new List<string>();
        CompareNode(type, schema, path, problems);
        return problems;
    }

    /// <summary>The JSON strings of an enum's values, as the serializer writes them.</summary>
    public static IReadOnlyList<string> EnumStrings(Type enumType) =>
        [.. Enum.GetValues(enumType).Cast<object>()
            .Select(v => JsonSerializer.SerializeToNode(v, enumType, ApiJsonContext.Default)!.GetValue<string>())];

    private static void CompareNode(Type type, JsonObject schema, string path, List<string> problems)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var schemaType = (string?)schema["type"];
        if (type == typeof(ResourceQuantity))
        {
            Expect(schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true, path, "a quantity must be x-kubernetes-int-or-string", problems);
            return;
        }

        if (type.IsEnum)
        {
            Expect(schemaType == "string", path, $"enum {type.Name} must be a string, schema says {schemaType}", problems);
            var schemaValues = schema["enum"]?.AsArray().Select(v => (string)v!).ToList() ?? [];
            var csharpValues = EnumStrings(type);
            Expect(schemaValues.SequenceEqual(csharpValues), path,
                $"enum values differ: schema [{string.Join(", ", schemaValues)}], C# [{string.Join(", ", csharpValues)}]", problems);
            return;
        }

        var scalar = ScalarSchemaType(type);
        if (scalar is not null)
        {
            Expect(schemaType == scalar.Value.Type, path, $"{type.Name} needs schema type {scalar.Value.Type}, schema says {schemaType}", problems);
            var format = (string?)schema["format"];
            Expect(format == scalar.Value.Format || (type == typeof(int) && format == "int32"),
                path, $"{type.Name} needs format {scalar.Value.Format ?? "(none)"}, schema says {format ?? "(none)"}", problems);
            return;
        }

        var info = ApiJsonContext.Default.GetTypeInfo(type) ?? throw new InvalidOperationException($"no JSON metadata for {type}");
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Enumerable:
                Expect(schemaType == "array", path, $"a list needs schema type array, schema says {schemaType}", problems);
                if (schema["items"] is JsonObject items)
                {
                    CompareNode(info.ElementType!, items, path + "[]", problems);
                }
                else
                {
                    problems.Add($"{path}: array without items");
                }

                break;
            case JsonTypeInfoKind.Dictionary:
                Expect(schemaType == "object" && schema["properties"] is null, path, "a map needs an object schema without properties", problems);
                if (schema["additionalProperties"] is JsonObject values)
                {
                    CompareNode(info.ElementType!, values, path + "{}", problems);
                }
                else
                {
                    problems.Add($"{path}: map without additionalProperties");
                }

                break;
            case JsonTypeInfoKind.Object:
                Expect(schemaType == "object", path, $"{type.Name} needs schema type object, schema says {schemaType}", problems);
                CompareProperties(info, schema["properties"] as JsonObject ?? [], path, problems);
                break;
            default:
                problems.Add($"{path}: {type} has no known JSON shape");
                break;
        }
    }

    private static void CompareProperties(JsonTypeInfo info, JsonObject schemaProperties, string path, List<string> problems)
    {
        var properties = info.Properties.Where(p => !p.IsExtensionData).ToList();
        foreach (var property in properties)
        {
            if (schemaProperties[property.Name] is JsonObject propertySchema)
            {
                CompareNode(property.PropertyType, propertySchema, $"{path}.{property.Name}", problems);
            }
            else
            {
                problems.Add($"{path}.{property.Name}: in C# ({info.Type.Name}) but not in the schema");
            }
        }

        foreach (var (name, _) in schemaProperties)
        {
            if (!properties.Exists(p => p.Name == name))
            {
                problems.Add($"{path}.{name}: in the schema but not in C# ({info.Type.Name})");
            }
        }
    }

    private static (string Type, string? Format)? ScalarSchemaType(Type type) =>
        type == typeof(string) ? ("string", null)
        : type == typeof(bool) ? ("boolean", null)
        : type == typeof(int) ? ("integer", null)
        : type == typeof(long) ? ("integer", "int64")
        : type == typeof(DateTimeOffset) ? ("string", "date-time")
        : null;

    private static void Expect(bool condition, string path, string problem, List<string> problems)
    {
        if (!condition)
        {
            problems.Add($"{path}: {problem}");
        }
    }
}
