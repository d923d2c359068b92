using System.Buffers;
using System.Net;
using System.Text.Json;
using ImmutableInfra.KubeApiServer.Storage;
using Microsoft.AspNetCore.Http;

namespace ImmutableInfra.KubeApiServer.Http;

/// <summary>Writes <c>Status</c> bodies exactly in the real API server's shape.</summary>
internal static class StatusWriter
{
    public static Task WriteAsync(HttpContext context, ApiError error)
    {
        context.Response.StatusCode = (int)error.Code;
        context.Response.ContentType = "application/json";
        return context.Response.Body.WriteAsync(Serialize(error)).AsTask();
    }

    public static byte[] Serialize(ApiError error)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, Http.JsonText.WriterOptions))
        {
            Write(json, error);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter json, ApiError error)
    {
        json.WriteStartObject();
        json.WriteString("kind", "Status");
        json.WriteString("apiVersion", "v1");
        json.WriteStartObject("metadata");
        json.WriteEndObject();
        json.WriteString("status", "Failure");
        json.WriteString("message", error.Message);
        json.WriteString("reason", error.Reason);
        json.WriteStartObject("details");
        if (error.Details is { } details)
        {
            WriteIfSet(json, "name", details.Name);
            WriteIfSet(json, "group", details.Group);
            WriteIfSet(json, "kind", details.Kind);
            if (details.Causes is { Count: > 0 } causes)
            {
                json.WriteStartArray("causes");
                foreach (var (field, reason, message) in causes)
                {
                    json.WriteStartObject();
                    json.WriteString("reason", reason);
                    json.WriteString("message", message);
                    json.WriteString("field", field);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }
        }

        if (error.Code == HttpStatusCode.TooManyRequests)
        {
            json.WriteNumber("retryAfterSeconds", 0);
        }

        json.WriteEndObject();
        json.WriteNumber("code", (int)error.Code);
        json.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json.WriteString(name, value);
        }
    }
}
