using System.Globalization;
using System.Text.Json;

namespace ImmutableInfra.Dashboard.Fleet;

/// <summary>
/// The metadata of an object read straight from the JSON the API returned, so that an object whose body does not
/// decode into our types can still be named, listed and linked.
/// </summary>
internal sealed record ObjectMetadata(
    string Namespace,
    string Name,
    string? Uid,
    string? ResourceVersion,
    DateTimeOffset? Created,
    IReadOnlyDictionary<string, string> Labels)
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    /// <summary>"namespace/name": the key of the object in the fleet.</summary>
    public string Key => Namespace + "/" + Name;

    public static ObjectMetadata Read(JsonElement item)
    {
        var meta = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("metadata", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
        var labels = NoLabels;
        if (meta.ValueKind == JsonValueKind.Object && meta.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object)
        {
            var read = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in l.EnumerateObject())
            {
                read[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }

            labels = read;
        }

        return new ObjectMetadata(
            String(meta, "namespace") ?? string.Empty,
            String(meta, "name") ?? "(unnamed)",
            String(meta, "uid"),
            String(meta, "resourceVersion"),
            DateTimeOffset.TryParse(String(meta, "creationTimestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created) ? created : null,
            labels);
    }

    private static string? String(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
