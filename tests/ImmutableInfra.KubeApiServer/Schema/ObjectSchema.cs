using System.Globalization;
using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer.Storage;

namespace ImmutableInfra.KubeApiServer.Schema;

/// <summary>
/// What apiextensions-apiserver does with a custom resource on every write, in its order: prune unknown fields
/// (and nulls where the schema does not allow them), apply defaults, validate the schema keywords, then run the
/// <c>x-kubernetes-validations</c> rules. Field causes are worded as the real server words them.
/// </summary>
internal sealed class ObjectSchema(StructuralSchema root, CelRules rules)
{
    public StructuralSchema Root { get; } = root;

    /// <summary>Prunes and defaults <paramref name="item"/> in place; returns the unknown fields it dropped.</summary>
    public IReadOnlyList<string> PruneAndDefault(JsonObject item)
    {
        var unknown = new List<string>();
        foreach (var (name, value) in item.ToList())
        {
            if (name is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            if (Root.Property(name) is { } property)
            {
                Prune(value, property, name, unknown);
            }
            else if (!Root.PreserveUnknownFields)
            {
                item.Remove(name);
                unknown.Add(name);
            }
        }

        Default(item, Root);
        return unknown;
    }

    /// <summary>Every schema and rule violation of <paramref name="item"/> (empty when valid).</summary>
    public List<FieldCause> Validate(JsonObject item, JsonObject? previous)
    {
        var causes = new List<FieldCause>();
        foreach (var (name, value) in item)
        {
            if (name is "apiVersion" or "kind" or "metadata")
            {
                continue;
            }

            if (Root.Property(name) is { } property)
            {
                Check(value, previous?[name], property, name, causes);
            }
        }

        foreach (var required in Root.Required.Where(r => item[r] is null))
        {
            causes.Add(FieldCause.Required(required));
        }

        rules.Check(Root, item, previous, string.Empty, causes);
        return causes;
    }

    private static void Prune(JsonNode? value, StructuralSchema schema, string path, List<string> unknown)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (schema.EmbeddedResource && name is "apiVersion" or "kind" or "metadata")
                    {
                        continue;
                    }

                    var childPath = $"{path}.{name}";
                    if (schema.Property(name) is not { } property)
                    {
                        if (!schema.PreserveUnknownFields)
                        {
                            obj.Remove(name);
                            unknown.Add(childPath);
                        }
                    }
                    else if (child is null && !property.Nullable)
                    {
                        obj.Remove(name);
                    }
                    else
                    {
                        Prune(child, property, childPath, unknown);
                    }
                }

                break;
            case JsonArray array when schema.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    Prune(array[i], items, $"{path}[{i}]", unknown);
                }

                break;
        }
    }

    private static void Default(JsonNode? value, StructuralSchema schema)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var (name, property) in schema.Properties)
                {
                    if (obj[name] is null && property.Default is { } fallback)
                    {
                        obj[name] = fallback.DeepClone();
                    }
                }

                foreach (var (name, child) in obj.ToList())
                {
                    if (schema.Property(name) is { } property)
                    {
                        Default(child, property);
                    }
                }

                break;
            case JsonArray array when schema.Items is { } items:
                foreach (var element in array)
                {
                    Default(element, items);
                }

                break;
        }
    }

    private void Check(JsonNode? value, JsonNode? previous, StructuralSchema schema, string path, List<FieldCause> causes)
    {
        if (value is null)
        {
            if (!schema.Nullable)
            {
                causes.Add(FieldCause.TypeInvalid(path, "null", schema.Type ?? "object"));
            }

            return;
        }

        var actual = KindOf(value);
        if (schema.IntOrString)
        {
            if (actual is not ("integer" or "string"))
            {
                causes.Add(FieldCause.TypeInvalid(path, actual, "integer-or-string"));
                return;
            }
        }
        else if (schema.Type is { } expected && actual != expected && !(expected == "number" && actual == "integer"))
        {
            causes.Add(FieldCause.TypeInvalid(path, actual, expected));
            return;
        }

        var before = causes.Count;
        CheckScalar(value, actual, schema, path, causes);
        switch (value)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if ((!schema.EmbeddedResource || name is not ("apiVersion" or "kind" or "metadata")) && schema.Property(name) is { } property)
                    {
                        Check(child, (previous as JsonObject)?[name], property, $"{path}.{name}", causes);
                    }
                }

                foreach (var required in schema.Required.Where(r => !obj.ContainsKey(r)))
                {
                    causes.Add(FieldCause.Required($"{path}.{required}"));
                }

                if (schema.MaxProperties is { } maxProperties && obj.Count > maxProperties)
                {
                    causes.Add(FieldCause.TooMany(path, obj.Count, maxProperties, "properties"));
                }

                if (schema.MinProperties is { } minProperties && obj.Count < minProperties)
                {
                    causes.Add(FieldCause.Invalid(path, Render(value), $"{path} in body should have at least {minProperties} properties"));
                }

                break;
            case JsonArray array:
                CheckArray(array, previous as JsonArray, schema, path, causes);
                break;
        }

        // The real server runs a node's rules only when the node itself passed the schema.
        if (causes.Count == before)
        {
            rules.Check(schema, value, previous, path, causes);
        }
    }

    private void CheckArray(JsonArray array, JsonArray? previous, StructuralSchema schema, string path, List<FieldCause> causes)
    {
        if (schema.MaxItems is { } maxItems && array.Count > maxItems)
        {
            causes.Add(FieldCause.TooMany(path, array.Count, maxItems, "items"));
        }

        if (schema.MinItems is { } minItems && array.Count < minItems)
        {
            causes.Add(FieldCause.Invalid(path, array.Count.ToString(CultureInfo.InvariantCulture), $"{path} in body should have at least {minItems} items"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var element = array[i];
            var identity = schema.ListType switch
            {
                "set" => element?.ToJsonString(),
                "map" when element is JsonObject entry => string.Join("\u0000", schema.ListMapKeys.Select(k => entry[k]?.ToJsonString() ?? "null")),
                _ => null,
            };
            if (identity is not null && !seen.Add(identity))
            {
                causes.Add(new FieldCause($"{path}[{i}]", "FieldValueDuplicate", $"Duplicate value: {DuplicateValue(element, schema)}"));
            }

            if (schema.Items is { } items)
            {
                Check(element, Correlate(element, previous, schema), items, $"{path}[{i}]", causes);
            }
        }
    }

    // The old element a rule's oldSelf sees: by key in a map list, by position nowhere (as in the real server).
    private static JsonObject? Correlate(JsonNode? element, JsonArray? previous, StructuralSchema schema)
    {
        if (previous is null || schema.ListType != "map" || element is not JsonObject entry)
        {
            return null;
        }

        return previous.OfType<JsonObject>().FirstOrDefault(old => schema.ListMapKeys.All(k => JsonNode.DeepEquals(old[k], entry[k])));
    }

    private static void CheckScalar(JsonNode value, string actual, StructuralSchema schema, string path, List<FieldCause> causes)
    {
        if (schema.Enum is { } allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            causes.Add(new FieldCause(path, "FieldValueNotSupported", $"Unsupported value: {Render(value)}: supported values: {string.Join(", ", allowed.Select(Render))}"));
        }

        if (actual is "integer" or "number" && decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            var shown = value.ToJsonString();
            if (schema.Maximum is { } max && (schema.ExclusiveMaximum ? number >= max : number > max))
            {
                causes.Add(FieldCause.Invalid(path, shown, $"{path} in body should be less than {(schema.ExclusiveMaximum ? string.Empty : "or equal to ")}{Number(max)}"));
            }

            if (schema.Minimum is { } min && (schema.ExclusiveMinimum ? number <= min : number < min))
            {
                causes.Add(FieldCause.Invalid(path, shown, $"{path} in body should be greater than {(schema.ExclusiveMinimum ? string.Empty : "or equal to ")}{Number(min)}"));
            }
        }

        if (actual != "string")
        {
            return;
        }

        var text = value.GetValue<string>();
        if (schema.MaxLength is { } maxLength && text.Length > maxLength)
        {
            causes.Add(new FieldCause(path, "FieldValueTooLong", $"Too long: may not be more than {maxLength} bytes"));
        }

        if (schema.MinLength is { } minLength && text.Length < minLength)
        {
            causes.Add(FieldCause.Invalid(path, Render(value), $"{path} in body should be at least {minLength} chars long"));
        }

        if (schema.Pattern is { } pattern && !pattern.IsMatch(text))
        {
            causes.Add(FieldCause.Invalid(path, Render(value), $"{path} in body should match '{schema.PatternText}'"));
        }

        if (!Formats.IsValid(schema.Format, text))
        {
            causes.Add(FieldCause.Invalid(path, Render(value), $"{path} in body must be of type {schema.Format}: {Render(value)}"));
        }
    }

    public static string KindOf(JsonNode value) => value switch
    {
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v when v.TryGetValue<string>(out _) => "string",
        JsonValue v when v.TryGetValue<bool>(out _) => "boolean",
        JsonValue v when v.TryGetValue<long>(out _) => "integer",
        JsonValue v when v.TryGetValue<double>(out var d) && d == Math.Floor(d) && !v.ToJsonString().Contains('.', StringComparison.Ordinal) => "integer",
        _ => "number",
    };

    /// <summary>A value as Go's <c>%#v</c> shows it in a field error: strings quoted, numbers bare, the rest by type.</summary>
    public static string Render(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "\"object\"",
        JsonArray => "\"array\"",
        JsonValue v when v.TryGetValue<string>(out var s) => System.Text.Json.JsonSerializer.Serialize(s),
        _ => value.ToJsonString(),
    };

    private static string DuplicateValue(JsonNode? element, StructuralSchema schema) =>
        element is JsonObject entry && schema.ListType == "map"
            ? "map[string]interface {}{" + string.Join(", ", schema.ListMapKeys.Select(k => $"\"{k}\":{Render(entry[k])}")) + "}"
            : Render(element);

    private static string Number(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);
}
