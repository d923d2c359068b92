using System.Text.Encodings.Web;
using System.Text.Json;

namespace ImmutableInfra.KubeApiServer.Http;

/// <summary>JSON as the real server writes it: quotes as <c>\"</c>, not System.Text.Json's default <c>\u0022</c>.</summary>
internal static class JsonText
{
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonSerializerOptions SerializerOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
