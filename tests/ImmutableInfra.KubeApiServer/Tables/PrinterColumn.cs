using System.Globalization;
using System.Text.Json.Nodes;

namespace ImmutableInfra.KubeApiServer.Tables;

/// <summary>One Table column: its definition (as served in columnDefinitions) and how a cell is computed from an object.</summary>
internal sealed record PrinterColumn(string Name, string Type, string Format, string Description, int Priority, Func<JsonObject, DateTimeOffset, JsonNode?> Cell)
{
    /// <summary>The Name column every Table starts with.</summary>
    public static PrinterColumn NameColumn { get; } = new(
        "Name", "string", "name", "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", 0,
        (item, _) => item["metadata"]?["name"]?.DeepClone());

    public static PrinterColumn Age { get; } = new(
        "Age", "date", string.Empty, "CreationTimestamp is a timestamp representing the server time when this object was created.", 0,
        (item, now) => AgeOf(item["metadata"]?["creationTimestamp"], now));

    /// <summary>A column of a CRD's additionalPrinterColumns: the JSONPath's first result, typed as the column says.</summary>
    public static PrinterColumn FromCrd(JsonObject definition)
    {
        var type = definition["type"]?.GetValue<string>() ?? "string";
        var path = JsonPathExpression.Parse(definition["jsonPath"]?.GetValue<string>() ?? string.Empty);
        return new PrinterColumn(
            definition["name"]?.GetValue<string>() ?? string.Empty,
            type,
            definition["format"]?.GetValue<string>() ?? string.Empty,
            definition["description"]?.GetValue<string>() ?? string.Empty,
            definition["priority"] is JsonValue priority && priority.TryGetValue<long>(out var p) ? (int)p : 0,
            (item, now) => path.First(item) is { } value ? Typed(value, type, now) : null);
    }

    /// <summary>Elapsed time since a timestamp as the real server shows it (k8s.io/apimachinery duration.HumanDuration).</summary>
    public static JsonNode? AgeOf(JsonNode? timestamp, DateTimeOffset now)
    {
        if (timestamp is not JsonValue value || !value.TryGetValue<string>(out var text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var then))
        {
            return "<unknown>";
        }

        var d = now - then;
        if (d < TimeSpan.FromSeconds(-1))
        {
            return "<invalid>";
        }

        static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        var seconds = Math.Max(0, (long)d.TotalSeconds);
        var minutes = (long)d.TotalMinutes;
        var hours = (long)d.TotalHours;
        return seconds < 120 ? F($"{seconds}s")
            : minutes < 10 ? (seconds % 60 == 0 ? F($"{minutes}m") : F($"{minutes}m{seconds % 60}s"))
            : minutes < 180 ? F($"{minutes}m")
            : hours < 8 ? (minutes % 60 == 0 ? F($"{hours}h") : F($"{hours}h{minutes % 60}m"))
            : hours < 48 ? F($"{hours}h")
            : hours < 192 ? (hours % 24 == 0 ? F($"{hours / 24}d") : F($"{hours / 24}d{hours % 24}h"))
            : hours < 24 * 365 * 2 ? F($"{hours / 24}d")
            : hours < 24 * 365 * 8 ? F($"{hours / 24 / 365}y{hours / 24 % 365}d")
            : F($"{hours / 24 / 365}y");
    }

    private static JsonNode? Typed(JsonNode value, string type, DateTimeOffset now) => type switch
    {
        "date" => AgeOf(value, now),
        "integer" or "number" or "boolean" when value is JsonValue => value.DeepClone(),
        _ => value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString(),
    };
}
