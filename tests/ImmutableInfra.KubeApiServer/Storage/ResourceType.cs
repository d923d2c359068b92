using ImmutableInfra.KubeApiServer.Schema;
using ImmutableInfra.KubeApiServer.Tables;

namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>One served kind at one group/version: where it lives, how discovery names it and how it behaves.</summary>
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

    /// <summary>The kind as the real server names it in messages: <c>Kind.group</c>, or <c>Kind</c> for the core group.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    /// <summary>The resource as the real server names it in messages: <c>plural.group</c>, or <c>plural</c> for the core group.</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>The structural schema of a custom resource (null for built-ins: their fields are not validated).</summary>
    public ObjectSchema? Schema { get; init; }

    /// <summary>The Table columns (Name, then a CRD's additionalPrinterColumns or the built-in printer's).</summary>
    public IReadOnlyList<PrinterColumn> Columns { get; init; } = [PrinterColumn.NameColumn, PrinterColumn.Age];

    /// <summary>Strategic merge patch list keys by field path (<c>spec.template.spec.containers</c> → name); null: not supported.</summary>
    public IReadOnlyDictionary<string, string>? MergeKeys { get; init; }
}
