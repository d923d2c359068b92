using System.Text.Json;

namespace ImmutableInfra.Dashboard.Fleet;

/// <summary>What counts as "this object does not decode": a body that breaks our types, not a bug of ours.</summary>
internal static class ObjectDecoding
{
    public static bool IsDecodeFailure(Exception e) =>
        e is JsonException or FormatException or InvalidOperationException or NotSupportedException or ArgumentException;

    /// <summary>Where the object breaks our types, in the API's field names (not the .NET types that could not be read).</summary>
    public static string Describe(Exception e) => e is JsonException { Path: { Length: > 1 } path }
        ? $"{path.TrimStart('$', '.')} does not have the type the API defines"
        : e.Message;
}
