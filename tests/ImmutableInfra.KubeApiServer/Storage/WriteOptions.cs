namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>How unknown fields in a write are treated (the <c>fieldValidation</c> query parameter).</summary>
internal enum FieldValidation
{
    Ignore,
    Warn,
    Strict,
}

/// <summary>The patch types the server accepts, by Content-Type.</summary>
internal enum PatchKind
{
    Merge,
    Json,
    Strategic,
    Apply,
}

/// <summary>A write's options: dry run, field manager, field validation and force (apply); collects the warnings to send.</summary>
internal sealed record WriteOptions(bool DryRun, string Manager, FieldValidation Validation, bool Force)
{
    /// <summary>The server's own writes (default namespaces, CRDs from files).</summary>
    public static WriteOptions Internal => new(false, "in-memory-kube-apiserver", FieldValidation.Ignore, false);

    /// <summary>Warning header texts (<c>unknown field "spec.x"</c>).</summary>
    public List<string> Warnings { get; } = [];
}
