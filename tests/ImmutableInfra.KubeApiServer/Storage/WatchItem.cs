namespace ImmutableInfra.KubeApiServer.Storage;

/// <summary>What a watch stream writes next: an event, a bookmark, or an injected fault.</summary>
internal enum WatchItemKind
{
    Event,
    Bookmark,
    Garbage,
    CutMidLine,
    Drop,
}

/// <summary>One item queued for a watch stream.</summary>
internal readonly record struct WatchItem(WatchItemKind Kind, string? EventType, StoredObject? Object, long ResourceVersion);
