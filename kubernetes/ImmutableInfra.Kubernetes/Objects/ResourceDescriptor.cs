using System.Text.Json.Serialization.Metadata;

namespace ImmutableInfra.Kubernetes.Objects;

/// <summary>
/// Everything the generic client needs about a kind: where it is served and how it is (de)serialised.
/// A CRD kind plugs in by declaring one of these; no per-kind client code exists.
/// </summary>
public sealed record ResourceDescriptor<T>(
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced,
    JsonTypeInfo<T> TypeInfo)
    where T : KubeObject
{
    /// <summary>The <c>apiVersion</c> value: <c>v1</c> for the core group, else <c>group/version</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}
