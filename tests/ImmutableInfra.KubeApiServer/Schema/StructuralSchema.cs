using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ImmutableInfra.KubeApiServer.Schema;

/// <summary>
/// One node of a CRD's structural schema (openAPIV3Schema): the keywords apiextensions-apiserver validates,
/// defaults and prunes by, parsed once when the CRD is registered.
/// </summary>
internal sealed class StructuralSchema
{
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(200);

    private StructuralSchema(JsonObject raw)
    {
        Raw = raw;
    }

    /// <summary>The schema as the CRD carries it (served through OpenAPI).</summary>
    public JsonObject Raw { get; }

    public string? Type { get; private init; }

    public string? Format { get; private init; }

    public string? Description { get; private init; }

    public IReadOnlyDictionary<string, StructuralSchema> Properties { get; private init; } = new Dictionary<string, StructuralSchema>();

    public StructuralSchema? Items { get; private init; }

    public StructuralSchema? AdditionalProperties { get; private init; }

    public IReadOnlyList<string> Required { get; private init; } = [];

    public IReadOnlyList<JsonNode?>? Enum { get; private init; }

    public Regex? Pattern { get; private init; }

    public string? PatternText { get; private init; }

    public decimal? Minimum { get; private init; }

    public decimal? Maximum { get; private init; }

    public bool ExclusiveMinimum { get; private init; }

    public bool ExclusiveMaximum { get; private init; }

    public long? MinLength { get; private init; }

    public long? MaxLength { get; private init; }

    public long? MinItems { get; private init; }

    public long? MaxItems { get; private init; }

    public long? MinProperties { get; private init; }

    public long? MaxProperties { get; private init; }

    public bool Nullable { get; private init; }

    public JsonNode? Default { get; private init; }

    public bool PreserveUnknownFields { get; private init; }

    public bool EmbeddedResource { get; private init; }

    public bool IntOrString { get; private init; }

    /// <summary><c>x-kubernetes-list-type</c>: atomic (default), set or map.</summary>
    public string? ListType { get; private init; }

    public IReadOnlyList<string> ListMapKeys { get; private init; } = [];

    public IReadOnlyList<ValidationRule> Rules { get; private init; } = [];

    /// <summary>Parses a schema; <paramref name="path"/> names it in errors (the CRD field).</summary>
    public static StructuralSchema Parse(JsonObject raw, string path)
    {
        var properties = new Dictionary<string, StructuralSchema>(StringComparer.Ordinal);
        if (raw["properties"] is JsonObject props)
        {
            foreach (var (name, value) in props)
            {
                properties[name] = Parse(value as JsonObject ?? [], $"{path}.properties[{name}]");
            }
        }

        var pattern = Text(raw["pattern"]);
        Regex? regex = null;
        if (pattern is not null)
        {
            try
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant, PatternTimeout);
            }
            catch (ArgumentException e)
            {
                throw new SchemaException($"{path}.pattern", $"Invalid value: \"{pattern}\": must be a valid regular expression, but isn't: {e.Message}");
            }
        }

        return new StructuralSchema(raw)
        {
            Type = Text(raw["type"]),
            Format = Text(raw["format"]),
            Description = Text(raw["description"]),
            Properties = properties,
            Items = raw["items"] is JsonObject items ? Parse(items, $"{path}.items") : null,
            AdditionalProperties = raw["additionalProperties"] is JsonObject additional ? Parse(additional, $"{path}.additionalProperties") : null,
            Required = raw["required"] is JsonArray required ? [.. required.Select(r => Text(r) ?? string.Empty)] : [],
            Enum = raw["enum"] is JsonArray values ? [.. values] : null,
            Pattern = regex,
            PatternText = pattern,
            Minimum = Number(raw["minimum"]),
            Maximum = Number(raw["maximum"]),
            ExclusiveMinimum = Flag(raw["exclusiveMinimum"]),
            ExclusiveMaximum = Flag(raw["exclusiveMaximum"]),
            MinLength = Integer(raw["minLength"]),
            MaxLength = Integer(raw["maxLength"]),
            MinItems = Integer(raw["minItems"]),
            MaxItems = Integer(raw["maxItems"]),
            MinProperties = Integer(raw["minProperties"]),
            MaxProperties = Integer(raw["maxProperties"]),
            Nullable = Flag(raw["nullable"]),
            Default = raw["default"]?.DeepClone(),
            PreserveUnknownFields = Flag(raw["x-kubernetes-preserve-unknown-fields"]),
            EmbeddedResource = Flag(raw["x-kubernetes-embedded-resource"]),
            IntOrString = Flag(raw["x-kubernetes-int-or-string"]),
            ListType = Text(raw["x-kubernetes-list-type"]),
            ListMapKeys = raw["x-kubernetes-list-map-keys"] is JsonArray keys ? [.. keys.Select(k => Text(k) ?? string.Empty)] : [],
            Rules = raw["x-kubernetes-validations"] is JsonArray rules ? [.. rules.OfType<JsonObject>().Select((r, i) => ValidationRule.Parse(r, $"{path}.x-kubernetes-validations[{i}]"))] : [],
        };
    }

    /// <summary>The schema of a property of an object, or of an additionalProperties value.</summary>
    public StructuralSchema? Property(string name) =>
        Properties.TryGetValue(name, out var property) ? property : AdditionalProperties;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static bool Flag(JsonNode? node) => node is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    private static long? Integer(JsonNode? node) => Number(node) is { } number ? (long)number : null;

    private static decimal? Number(JsonNode? node) =>
        node is JsonValue value && decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
}

/// <summary>One <c>x-kubernetes-validations</c> entry.</summary>
internal sealed record ValidationRule(string Rule, string? Message, string? Reason, string? FieldPath)
{
    /// <summary>A transition rule (it names <c>oldSelf</c>) runs on updates only, as in the real server.</summary>
    public bool IsTransition => Rule.Contains("oldSelf", StringComparison.Ordinal);

    public static ValidationRule Parse(JsonObject raw, string path)
    {
        var rule = raw["rule"] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new SchemaException($"{path}.rule", "Required value");
        return new ValidationRule(rule, raw["message"]?.GetValue<string>(), raw["reason"]?.GetValue<string>(), raw["fieldPath"]?.GetValue<string>());
    }
}

/// <summary>A CRD schema the server cannot use; the CRD is refused with this message.</summary>
internal sealed class SchemaException : Exception
{
    public SchemaException()
    {
    }

    public SchemaException(string message)
        : base(message)
    {
    }

    public SchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SchemaException(string field, string detail)
        : base($"{field}: {detail}")
    {
        Field = field;
        Detail = detail;
    }

    /// <summary>The CRD field at fault (<c>spec.versions[0].schema.openAPIV3Schema...</c>).</summary>
    public string Field { get; } = string.Empty;

    public string Detail { get; } = string.Empty;
}
