namespace ImmutableInfra.Kubernetes.Client;

/// <summary>Query of a list: selectors, paging and resourceVersion semantics.</summary>
public sealed class ListOptions
{
    /// <summary>Label selector (<c>app=x,tier in (a,b),!legacy</c>).</summary>
    public string? LabelSelector { get; init; }

    /// <summary>Field selector (<c>metadata.name=x</c>).</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Page size; the answer's <c>metadata.continue</c> fetches the next page.</summary>
    public int? Limit { get; init; }

    public string? Continue { get; init; }

    public string? ResourceVersion { get; init; }
}
