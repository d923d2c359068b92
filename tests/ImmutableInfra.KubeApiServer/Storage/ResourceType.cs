namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>One served kind at one group/version: where it lives and how it behaves.</summary>
internal sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    bool HasStatus,
    bool IsCustom)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string GroupVersion => ApiVersion;

    /// <summary>Storage identity: all versions of a kind share one collection.</summary>
    public string StorageKey => $"{Group}/{Plural}";
}
