using System.Globalization;
using System.Text;

namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>Encodes and decodes continue tokens (snapshot id and offset), opaque to clients.</summary>
internal static class ContinueToken
{
    public static string Encode(string snapshotId, int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{snapshotId}|{offset.ToString(CultureInfo.InvariantCulture)}"));

    public static (string SnapshotId, int Offset) Decode(string token)
    {
        try
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(token)).Split('|');
            return (parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or OverflowException)
        {
            throw ApiError.BadRequest("continue key is not valid: incorrect encoded start resourceVersion");
        }
    }
}
