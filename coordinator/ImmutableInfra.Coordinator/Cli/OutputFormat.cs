using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using YamlDotNet.RepresentationModel;

namespace ImmutableInfra.Coordinator.Cli;

/// <summary>How a command prints objects: an aligned table for people, JSON or YAML (the API's own field names) for tools.</summary>
internal enum OutputFormat
{
    Table,
    Json,
    Yaml,
}

/// <summary>Writes objects in an <see cref="OutputFormat"/>.</summary>
internal static class ObjectPrinter
{
    public static OutputFormat Parse(string text) => text switch
    {
        "table" or "wide" => OutputFormat.Table,
        "json" => OutputFormat.Json,
        "yaml" => OutputFormat.Yaml,
        _ => throw new ArgumentException($"-o: \"{text}\" is not one of table, json, yaml"),
    };

    public static void Print<T>(TextWriter output, OutputFormat format, IReadOnlyList<T> items, JsonTypeInfo<T> typeInfo, string[] headers, Func<T, string[]> row, bool single)
    {
        switch (format)
        {
            case OutputFormat.Table:
                PrintTable(output, headers, items.Select(row).ToList());
                break;
            case OutputFormat.Json:
                var json = single && items.Count == 1
                    ? JsonSerializer.Serialize(items[0], typeInfo)
                    : "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + string.Join(',', items.Select(i => JsonSerializer.Serialize(i, typeInfo))) + "]}";
                using (var document = JsonDocument.Parse(json))
                {
                    using var stream = new MemoryStream();
                    using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                    {
                        document.WriteTo(writer);
                    }

                    output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
                }

                break;
            case OutputFormat.Yaml:
                var docs = single && items.Count == 1 ? [JsonSerializer.Serialize(items[0], typeInfo)] : items.Select(i => JsonSerializer.Serialize(i, typeInfo)).ToList();
                for (var i = 0; i < docs.Count; i++)
                {
                    if (i > 0)
                    {
                        output.WriteLine("---");
                    }

                    using var document = JsonDocument.Parse(docs[i]);
                    var yaml = new YamlStream(new YamlDocument(ToYaml(document.RootElement)));
                    using var text = new StringWriter();
                    yaml.Save(text, assignAnchors: false);
                    output.Write(text.ToString().Replace("\n...\n", "\n", StringComparison.Ordinal).TrimEnd('.', '\n') + "\n");
                }

                break;
        }
    }

    public static void PrintTable(TextWriter output, string[] headers, IReadOnlyList<string[]> rows)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine(string.Join("   ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("   ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }
    }

    private static YamlNode ToYaml(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new YamlMappingNode(element.EnumerateObject().Select(p => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Name), ToYaml(p.Value)))),
        JsonValueKind.Array => new YamlSequenceNode(element.EnumerateArray().Select(ToYaml)),
        JsonValueKind.String => new YamlScalarNode(element.GetString()) { Style = NeedsQuotes(element.GetString()!) ? YamlDotNet.Core.ScalarStyle.DoubleQuoted : YamlDotNet.Core.ScalarStyle.Any },
        JsonValueKind.Null => new YamlScalarNode("null"),
        _ => new YamlScalarNode(element.GetRawText()),
    };

    // Strings that YAML would read back as another type (true, 1.5, null, "") keep their quotes.
    private static bool NeedsQuotes(string text) =>
        text.Length == 0 || text is "true" or "false" or "null" or "~" or "yes" or "no" || double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _);
}
