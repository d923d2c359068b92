namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>One page of a list with its snapshot resourceVersion and paging metadata.</summary>
internal sealed record ListResult(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);
