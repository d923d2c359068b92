using System.Text.Json.Nodes;

namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>
/// One stored object as immutable JSON bytes plus the fields selectors need; readers never see a
/// half-updated object and watch lines are built without re-serialising.
/// </summary>
internal sealed class StoredObject
{
    private StoredObject(string? ns, string name, long resourceVersion, byte[] json, IReadOnlyDictionary<string, string> labels)
    {
        Namespace = ns;
        Name = name;
        ResourceVersion = resourceVersion;
        Json = json;
        Labels = labels;
    }

    public string? Namespace { get; }

    public string Name { get; }

    public string Key => Namespace is null ? Name : $"{Namespace}/{Name}";

    public long ResourceVersion { get; }

    public byte[] Json { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public static StoredObject From(JsonObject node, long resourceVersion)
    {
        var metadata = node["metadata"]!.AsObject();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata["labels"] is JsonObject labelNode)
        {
            foreach (var (key, value) in labelNode)
            {
                labels[key] = value?.GetValue<string>() ?? string.Empty;
            }
        }

        return new StoredObject(
            metadata["namespace"]?.GetValue<string>(),
            metadata["name"]!.GetValue<string>(),
            resourceVersion,
            System.Text.Encoding.UTF8.GetBytes(node.ToJsonString(Http.JsonText.SerializerOptions)),
            labels);
    }

    /// <summary>A fresh, mutable copy of the object.</summary>
    public JsonObject ToNode() => JsonNode.Parse(Json)!.AsObject();
}
