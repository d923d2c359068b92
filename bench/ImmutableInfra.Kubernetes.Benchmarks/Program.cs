using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ImmutableInfra.Kubernetes.Cache;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.KubeApiServer;
using ImmutableInfra.Kubernetes.Objects;
using ImmutableInfra.Kubernetes.Watch;

namespace ImmutableInfra.Kubernetes.Benchmarks;

/// <summary>
/// Measures the watch cache against the in-memory API server, each number next to a baseline measured
/// in the same run: start-up (paged list+watch into the cache vs one raw list parsed to JsonDocument),
/// memory per cached object (cache vs a plain Dictionary of the same typed objects, and vs raw JSON),
/// and update events/s through cache to handler (vs raw watch lines parsed to JsonDocument).
/// Usage: [--objects N] [--updates M] [--quick]
/// </summary>
internal static class Program
{
    private const string Namespace = "bench";

    private static async Task<int> Main(string[] args)
    {
        var objects = Arg(args, "--objects", args.Contains("--quick") ? 2_000 : 10_000);
        var updates = Arg(args, "--updates", args.Contains("--quick") ? 4_000 : 20_000);
        var options = new InMemoryKubeApiServerOptions { CompactionWindow = objects + updates + 1_000, BookmarkInterval = TimeSpan.FromSeconds(30) };
        options.IncludeCapiCrds = false;
        await using var server = await InMemoryKubeApiServer.StartAsync(options);
        using var client = new KubeClient(new KubeConnectionSettings { Server = server.Url }, new KubeClientOptions { RequestTimeout = TimeSpan.FromMinutes(2) });
        var maps = client.Resource(KubeResources.ConfigMaps);
        await client.Resource(KubeResources.Namespaces).CreateAsync(new KubeNamespace { Metadata = new ObjectMeta { Name = Namespace } });

        Console.WriteLine($"Kubernetes layer benchmark: {objects} ConfigMaps (~0.6 KiB each), {updates} updates, in-memory API server at {server.Url}");
        var seed = Stopwatch.StartNew();
        await ForEachParallelAsync(objects, 8, i => maps.CreateAsync(NewMap(i)));
        Console.WriteLine($"seeded in {seed.Elapsed.TotalSeconds:0.0} s");

        // Start-up: baseline = one raw list, parsed to JsonDocument; ours = paged list + watch open + typed cache synced.
        // Each is run twice and the second run reported, so JIT compilation is not counted against either.
        using var http = new HttpClient { BaseAddress = server.Url };
        byte[] rawList = [];
        TimeSpan baselineStart = default, cacheStart = default;
        for (var round = 0; round < 2; round++)
        {
            var clock = Stopwatch.StartNew();
            rawList = await http.GetByteArrayAsync($"/api/v1/namespaces/{Namespace}/configmaps");
            using (var document = JsonDocument.Parse(rawList))
            {
                Check(document.RootElement.GetProperty("items").GetArrayLength() == objects, "raw list size");
            }

            baselineStart = clock.Elapsed;
            using var stop = new CancellationTokenSource();
            var cache = new WatchCache<ConfigMap>();
            cache.AddIndexer("pool", PoolIndex);
            var watcher = new ListWatcher<ConfigMap>(maps, cache, new ListWatcherOptions { Namespace = Namespace, PageSize = 500 });
            clock.Restart();
            var running = watcher.RunAsync(stop.Token);
            await cache.WaitForSyncAsync(CancellationToken.None);
            cacheStart = clock.Elapsed;
            Check(cache.Count == objects, "cache size");
            await stop.CancelAsync();
            await running;
        }

        // Memory, measured offline from the same list body so the in-process server's buffers stay out of it:
        // the cache (typed objects + key map + label index) vs a plain Dictionary of the same typed objects.
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var measured = new WatchCache<ConfigMap>();
        measured.AddIndexer("pool", PoolIndex);
        measured.Replace(Deserialize(rawList));
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var cacheBytes = (after - before) / (double)objects;
        GC.KeepAlive(measured);
        var typedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var plain = Deserialize(rawList).ToDictionary(CacheKeys.Of);
        var typedAfter = GC.GetTotalMemory(forceFullCollection: true);
        var plainBytes = (typedAfter - typedBefore) / (double)objects;
        GC.KeepAlive(plain);
        var rawBytes = rawList.Length / (double)objects;

        // Events: write the updates first, then replay them from the server's event log twice.
        var fromVersion = server.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        await ForEachParallelAsync(updates, 8, i => maps.PatchAsync(Namespace, Name(i % objects), $$$"""{"data":{"generation":"{{{i}}}"}}"""));
        var rawEvents = await RawWatchAsync(http, fromVersion, updates);
        var cacheEvents = await CacheWatchAsync(maps, measured, fromVersion, updates);

        Console.WriteLine();
        Console.WriteLine("| measure | ours | baseline | ratio |");
        Console.WriteLine("| --- | --- | --- | --- |");
        Console.WriteLine($"| start-up, {objects} objects | {cacheStart.TotalMilliseconds:0} ms (paged list+watch into typed cache) | {baselineStart.TotalMilliseconds:0} ms (one raw list to JsonDocument) | {cacheStart / baselineStart:0.00}x |");
        Console.WriteLine($"| memory per cached object | {cacheBytes:0} B (WatchCache: objects + key map + label index) | {plainBytes:0} B (Dictionary of the typed objects) | {cacheBytes / plainBytes:0.00}x |");
        Console.WriteLine($"| memory per object, raw JSON | | {rawBytes:0} B (JSON bytes on the wire) | {cacheBytes / rawBytes:0.00}x |");
        Console.WriteLine($"| update events/s to handler | {cacheEvents:0} (typed, through cache) | {rawEvents:0} (raw lines to JsonDocument) | {cacheEvents / rawEvents:0.00}x |");
        return 0;
    }

    // A Utf8JsonReader walk, not JsonDocument: JsonDocument rents pooled buffers that would count as cache memory.
    private static List<ConfigMap> Deserialize(byte[] listBody)
    {
        var reader = new Utf8JsonReader(listBody);
        var items = new List<ConfigMap>();
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("items"))
            {
                reader.Read();
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    items.Add(JsonSerializer.Deserialize(ref reader, KubeJsonContext.Default.ConfigMap)!);
                }
            }
        }

        return items;
    }

    private static IEnumerable<string> PoolIndex(ConfigMap map) =>
        map.Metadata.Labels is { } labels && labels.TryGetValue("pool", out var pool) ? [pool] : [];

    private static async Task<double> RawWatchAsync(HttpClient http, string fromVersion, int expected)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync($"/api/v1/namespaces/{Namespace}/configmaps?watch=true&resourceVersion={fromVersion}&timeoutSeconds=300", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var seen = 0;
        while (seen < expected && await reader.ReadLineAsync() is { } line)
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.GetProperty("type").GetString() == "MODIFIED")
            {
                seen++;
            }
        }

        Check(seen == expected, "raw events");
        return seen / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> CacheWatchAsync(ResourceClient<ConfigMap> maps, WatchCache<ConfigMap> cache, string fromVersion, int expected)
    {
        var handled = 0;
        cache.AddHandler(new ResourceChangeHandler<ConfigMap>(onUpdate: (_, _) => handled++));
        var clock = Stopwatch.StartNew();
        await foreach (var e in maps.WatchAsync(Namespace, new WatchOptions { ResourceVersion = fromVersion }))
        {
            if (e.Type == WatchEventType.Modified)
            {
                cache.Upsert(e.Item!);
            }

            if (handled >= expected)
            {
                break;
            }
        }

        Check(handled == expected, "cache events");
        return handled / clock.Elapsed.TotalSeconds;
    }

    private static ConfigMap NewMap(int i) => new()
    {
        Metadata = new ObjectMeta
        {
            Name = Name(i),
            Namespace = Namespace,
            Labels = new() { ["pool"] = $"pool-{i % 10}", ["role"] = i % 3 == 0 ? "control-plane" : "worker" },
            Annotations = new() { ["immutableinfra.io/serial"] = $"SN-{i:D8}" },
        },
        Data = new()
        {
            ["systemUUID"] = Guid.NewGuid().ToString(),
            ["macs"] = $"52:54:00:{i >> 16 & 0xff:x2}:{i >> 8 & 0xff:x2}:{i & 0xff:x2}",
            ["disks"] = "nvme0n1:1920383410176:ssd,nvme1n1:1920383410176:ssd,sda:16000900661248:hdd",
            ["cpu"] = "64",
            ["memory"] = "549755813888",
        },
    };

    private static string Name(int i) => $"host-{i:D6}";

    private static async Task ForEachParallelAsync(int count, int parallelism, Func<int, Task> action)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, parallelism).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await action(i);
            }
        }));
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    private static void Check(bool ok, string what)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"benchmark check failed: {what}");
        }
    }
}
