using System.Globalization;
using System.Text.Json.Nodes;
using ImmutableInfra.KubeApiServer.Storage;

namespace ImmutableInfra.KubeApiServer.Patching;

/// <summary>RFC 6902 JSON patch (add, remove, replace, move, copy, test) over RFC 6901 pointers, as <c>kubectl patch --type=json</c> sends it.</summary>
internal static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw ApiError.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        }

        var document = target.DeepClone();
        foreach (var operation in operations)
        {
            var op = operation?["op"]?.GetValue<string>();
            var path = operation?["path"]?.GetValue<string>() ?? throw ApiError.BadRequest("the server rejected our request due to an error in our request: missing 'path'");
            switch (op)
            {
                case "add":
                    Add(document, path, operation!["value"]?.DeepClone());
                    break;
                case "remove":
                    Take(document, path);
                    break;
                case "replace":
                    Take(document, path);
                    Add(document, path, operation!["value"]?.DeepClone());
                    break;
                case "move":
                    Add(document, path, Take(document, From(operation!)));
                    break;
                case "copy":
                    Add(document, path, Get(document, From(operation!))?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(document, path), operation!["value"]))
                    {
                        throw new ApiError(System.Net.HttpStatusCode.UnprocessableEntity, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    }

                    break;
                default:
                    throw ApiError.BadRequest($"the server rejected our request due to an error in our request: Unexpected kind: {op}");
            }
        }

        return document as JsonObject ?? throw ApiError.BadRequest("the patch replaced the object with a non-object");
    }

    private static string From(JsonNode operation) => operation["from"]?.GetValue<string>() ?? throw ApiError.BadRequest("the server rejected our request due to an error in our request: missing 'from'");

    private static string[] Tokens(string pointer) =>
        pointer.Length == 0 ? [] : [.. pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];

    private static JsonNode? Get(JsonNode root, string pointer)
    {
        var node = root;
        foreach (var token in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject obj when obj.ContainsKey(token) => obj[token],
                JsonArray array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count => array[i],
                _ => throw Missing(pointer),
            };
        }

        return node;
    }

    private static void Add(JsonNode root, string pointer, JsonNode? value)
    {
        var tokens = Tokens(pointer);
        var parent = Get(root, tokens.Length == 0 ? string.Empty : "/" + string.Join('/', tokens[..^1].Select(Escape)));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array when last == "-":
                array.Add(value);
                break;
            case JsonArray array when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= array.Count:
                array.Insert(i, value);
                break;
            default:
                throw Missing(pointer);
        }
    }

    private static JsonNode? Take(JsonNode root, string pointer)
    {
        var tokens = Tokens(pointer);
        var parent = Get(root, "/" + string.Join('/', tokens[..^1].Select(Escape)));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                var value = obj[last];
                obj.Remove(last);
                return value;
            case JsonArray array when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.Count:
                var element = array[i];
                array.RemoveAt(i);
                return element;
            default:
                throw Missing(pointer);
        }
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static ApiError Missing(string pointer) =>
        new(System.Net.HttpStatusCode.UnprocessableEntity, "Invalid", $"the server rejected our request due to an error in our request: doc is missing path: \"{pointer}\": missing value");
}
