using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ImmutableInfra.Dashboard.Fleet;

/// <summary>What counts as "this object does not decode": a body that breaks our types, not a bug of ours.</summary>
internal static class ObjectDecoding
{
    /// <summary>Decodes one object; on a body that breaks our types, returns null and says where in <paramref name="error"/>.</summary>
    public static T? Decode<T>(JsonElement item, JsonTypeInfo<T> type, out string? error)
        where T : class
    {
        try
        {
            error = null;
            return item.Deserialize(type);
        }
        catch (Exception e) when (IsDecodeFailure(e))
        {
            error = Describe(e);
            return null;
        }
    }

    public static bool IsDecodeFailure(Exception e) =>
        e is JsonException or FormatException or InvalidOperationException or NotSupportedException or ArgumentException;

    /// <summary>Where the object breaks our types, in the API's field names (not the .NET types that could not be read).</summary>
    public static string Describe(Exception e) => e is JsonException { Path: { Length: > 1 } path }
        ? $"{path.TrimStart('$', '.')} does not have the type the API defines"
        : e.Message;
}
