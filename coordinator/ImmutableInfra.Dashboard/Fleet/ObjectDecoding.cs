using System.Text.Json;

namespace ImmutableInfra.Dashboard.Fleet;

/// <summary>What counts as "this object does not decode": a body that breaks our types, not a bug of ours.</summary>
internal static class ObjectDecoding
{
    public static bool IsDecodeFailure(Exception e) =>
        e is JsonException or FormatException or InvalidOperationException or NotSupportedException or ArgumentException;
}
