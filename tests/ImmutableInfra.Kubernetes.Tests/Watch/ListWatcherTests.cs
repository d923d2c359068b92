using System.Collections.Concurrent;
using ImmutableInfra.Kubernetes.Cache;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Kubernetes.Tests.Fixtures;
using ImmutableInfra.Kubernetes.Watch;

namespace ImmutableInfra.Kubernetes.Tests.Watch;

public sealed class ListWatcherTests : IAsyncLifetime, IDisposable
{
    private InMemoryApi _api = null!;
    private readonly CancellationTokenSource _stop = new();
    private readonly WatchCache<ConfigMap> _cache = new();
    private readonly ConcurrentQueue<(string Type, string Name, string Version)> _events = new();
    private ListWatcher<ConfigMap> _watcher = null!;
    private KubeClient _watcherClient = null!;
    private Task _running = Task.CompletedTask;

    private ResourceClient<ConfigMap> ConfigMaps => _api.Client.Resource(KubeResources.ConfigMaps);

    public async Task InitializeAsync()
    {
        _api = await InMemoryApi.StartAsync();
        _cache.AddHandler(new ResourceChangeHandler<ConfigMap>(
            onAdd: m => _events.Enqueue(("add", m.Metadata.Name!, m.Metadata.ResourceVersion!)),
            onUpdate: (_, m) => _events.Enqueue(("update", m.Metadata.Name!, m.Metadata.ResourceVersion!)),
            onDelete: m => _events.Enqueue(("delete", m.Metadata.Name!, m.Metadata.ResourceVersion!))));
        await CreateAsync("before-0");
        await CreateAsync("before-1");
        _watcherClient = new KubeClient(_api.Server.ConnectionSettings(token: "watcher"), InMemoryApi.FastRetries());
        _watcher = new ListWatcher<ConfigMap>(_watcherClient.Resource(KubeResources.ConfigMaps), _cache, new ListWatcherOptions { Namespace = "default", PageSize = 1, InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(100) });
        _running = _watcher.RunAsync(_stop.Token);
        await _cache.WaitForSyncAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));
        await Eventually.TrueAsync(() => _api.Server.Faults.OpenWatches == 1, "the watch is open");
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        await _api.DisposeAsync();
    }

    public void Dispose()
    {
        _stop.Dispose();
        _watcherClient.Dispose();
    }

    private Task<ConfigMap> CreateAsync(string name) =>
        ConfigMaps.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = name, Namespace = "default" } });

    [Fact]
    public async Task Watch_StreamCutMidLine_ResumesWithoutLostOrDuplicatedEvents()
    {
        await CreateAsync("a");
        await Eventually.TrueAsync(() => _cache.Get("default", "a") is not null, "a cached");

        Assert.Equal(1, _api.Server.Faults.CutWatchesMidLine());
        await CreateAsync("b");
        await ConfigMaps.PatchAsync("default", "a", """{"data":{"k":"v"}}""");
        await ConfigMaps.DeleteAsync("default", "before-0");
        await CreateAsync("c");

        await Eventually.TrueAsync(() => _cache.Get("default", "c") is not null, "c cached");
        var versions = _events.Select(e => e.Version).ToList();
        Assert.Equal(versions.Count, versions.Distinct().Count());
        Assert.Equal(
            ["add before-0", "add before-1", "add a", "add b", "update a", "delete before-0", "add c"],
            _events.Select(e => $"{e.Type} {e.Name}"));
        Assert.Equal(1, _watcher.ListCount);
        Assert.True(_watcher.WatchCount >= 2);
    }

    [Fact]
    public async Task Watch_ResourceVersionCompactedAway_RelistsAndConverges()
    {
        // Keep the watcher away while the events it would resume from are compacted.
        _api.Server.Faults.DenyToken("watcher");
        _api.Server.Faults.DropAllWatches();
        await CreateAsync("while-away");
        await ConfigMaps.DeleteAsync("default", "before-1");
        _api.Server.Faults.Compact();
        _api.Server.Faults.AllowToken("watcher");

        // The cache holds the relisted state before its handlers hear of it (as an informer's store does): wait for both.
        await Eventually.TrueAsync(
            () => _watcher.ListCount == 2 && _cache.Get("default", "while-away") is not null && _events.Any(e => e is ("delete", "before-1", _)),
            "relisted and its changes delivered");

        Assert.Null(_cache.Get("default", "before-1"));
        Assert.Contains(("delete", "before-1"), _events.Select(e => (e.Type, e.Name)));
    }

    [Fact]
    public async Task Watch_GarbageLine_IsCountedAndWatchRestarted()
    {
        Assert.Equal(1, _api.Server.Faults.SendGarbageToWatches());

        await Eventually.TrueAsync(() => _watcher.InvalidLineCount == 1, "garbage counted");
        await CreateAsync("after-garbage");

        await Eventually.TrueAsync(() => _cache.Get("default", "after-garbage") is not null, "watch restarted");
        Assert.Equal(1, _watcher.ListCount);
        Assert.False(_running.IsCompleted);
    }

    [Fact]
    public async Task Watch_Bookmarks_AdvanceTheResumeVersion()
    {
        await ConfigMaps.CreateAsync(new ConfigMap { Metadata = new ObjectMeta { Name = "elsewhere", Namespace = "kube-system" } });
        var version = _api.Server.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Nothing in "default" changed, so only a bookmark can carry the newer resourceVersion.
        await Eventually.TrueAsync(() => _watcher.ResourceVersion == version, "bookmark received");
        Assert.Equal(2, _cache.Count);
    }
}
