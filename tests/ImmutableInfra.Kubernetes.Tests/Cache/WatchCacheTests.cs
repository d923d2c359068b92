using ImmutableInfra.Kubernetes.Cache;
using ImmutableInfra.Kubernetes.Objects;

namespace ImmutableInfra.Kubernetes.Tests.Cache;

public sealed class WatchCacheTests
{
    private static ConfigMap Map(string name, string version, string? pool = null) => new()
    {
        Metadata = new ObjectMeta { Name = name, Namespace = "ns", ResourceVersion = version, Labels = pool is null ? null : new() { ["pool"] = pool } },
    };

    private static WatchCache<ConfigMap> CacheByPool()
    {
        var cache = new WatchCache<ConfigMap>();
        cache.AddIndexer("pool", m => m.Metadata.Labels?.TryGetValue("pool", out var p) == true ? [p] : []);
        return cache;
    }

    [Fact]
    public void Indexer_ByLabelValue_FollowsUpdatesAndDeletes()
    {
        var cache = CacheByPool();
        cache.Replace([Map("a", "1", "workers"), Map("b", "2", "workers"), Map("c", "3", "control")]);

        cache.Upsert(Map("b", "4", "control"));
        cache.Remove(Map("c", "5", "control"));

        Assert.Equal(["a"], cache.ByIndex("pool", "workers").Select(m => m.Metadata.Name));
        Assert.Equal(["b"], cache.ByIndex("pool", "control").Select(m => m.Metadata.Name));
        Assert.Equal("4", cache.Get("ns", "b")!.Metadata.ResourceVersion);
        Assert.Null(cache.Get("ns", "c"));
    }

    [Fact]
    public void ReadIndex_KeepsPositionsAcrossUpdates_AndFillsARemovedOnesPlace()
    {
        var cache = CacheByPool();
        cache.Replace([Map("a", "1", "w"), Map("b", "2", "w"), Map("c", "3", "w"), Map("d", "4", "w")]);
        static string[] Names(IReadOnlyList<ConfigMap> maps) => [.. maps.Select(m => m.Metadata.Name!)];
        var before = cache.ReadIndex("pool", "w", Names);

        cache.Upsert(Map("b", "5", "w"));
        var afterUpdate = cache.ReadIndex("pool", "w", Names);
        cache.Upsert(Map("b", "6", "other"));
        var afterMove = cache.ReadIndex("pool", "w", Names);

        // An update in place keeps every position (claim order depends on it); a removal swaps the last one in.
        Assert.Equal(before, afterUpdate);
        Assert.Equal("6", cache.ReadIndex("pool", "other", maps => maps.Single().Metadata.ResourceVersion));
        Assert.Equal(3, afterMove.Length);
        Assert.Equal(before.Where(n => n != "b").Order(StringComparer.Ordinal), afterMove.Order(StringComparer.Ordinal));
        Assert.Equal(before[0] == "b" ? before[3] : before[0], afterMove[0]);
        Assert.Equal(["a", "c", "d"], cache.ByIndex("pool", "w").Select(m => m.Metadata.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Replace_ReportsOnlyTheDifference()
    {
        var cache = CacheByPool();
        var log = new List<string>();
        cache.AddHandler(new ResourceChangeHandler<ConfigMap>(
            m => log.Add($"add {m.Metadata.Name}"),
            (_, m) => log.Add($"update {m.Metadata.Name}"),
            m => log.Add($"delete {m.Metadata.Name}")));
        cache.Replace([Map("a", "1"), Map("b", "2")]);
        log.Clear();

        cache.Replace([Map("a", "1"), Map("b", "3"), Map("c", "4")]);

        Assert.Equal(["update b", "add c"], log);
        Assert.True(cache.HasSynced);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void Replace_MissingObject_IsDeleted()
    {
        var cache = CacheByPool();
        var deleted = new List<string>();
        cache.AddHandler(new ResourceChangeHandler<ConfigMap>(onDelete: m => deleted.Add(m.Metadata.Name!)));
        cache.Replace([Map("a", "1", "workers"), Map("b", "2")]);

        cache.Replace([Map("b", "2")]);

        Assert.Equal(["a"], deleted);
        Assert.Empty(cache.ByIndex("pool", "workers"));
    }

    [Fact]
    public void CacheKeys_SplitRoundTrips()
    {
        Assert.Equal(("ns", "name"), CacheKeys.Split(CacheKeys.Of("ns", "name")));
        Assert.Equal(((string?)null, "node-1"), CacheKeys.Split(CacheKeys.Of(null, "node-1")));
    }
}
