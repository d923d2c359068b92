using System.Collections.Concurrent;
using System.Text.Json;
using ImmutableInfra.Dashboard.Kube;
using k8s;
using k8s.Models;

namespace ImmutableInfra.Dashboard.Fleet;

/// <summary>
/// Everything the dashboard shows, as the watches last delivered it, and a signal when it changes. Bounded: each
/// kind by <see cref="DashboardOptions.MaxObjectsPerKind"/> (the list stops there), Events by
/// <see cref="DashboardOptions.MaxEvents"/> (the oldest are forgotten), VIP history per cluster.
/// </summary>
internal sealed class FleetStore
{
    private readonly DashboardOptions _options;
    private readonly ConcurrentDictionary<string, EventView> _events = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TokenAge> _tokens = new(StringComparer.Ordinal);
    private long _version;

    public FleetStore(DashboardOptions options, TimeProvider time)
    {
        _options = options;
        Time = time;
        Health = new ApiHealth(time);
        Health.Changed += () => Notify(FleetKinds.Connection);
        VipHistory = new VipHistory(time, options.FailoversKeptPerCluster);
    }

    /// <summary>Raised after every change with what changed; handlers must not block.</summary>
    public event Action<FleetKinds>? Changed;

    public TimeProvider Time { get; }
    public ApiHealth Health { get; }
    public VipHistory VipHistory { get; }
    public ObjectTable<PoolView> Pools { get; } = new(p => p.Key);
    public ObjectTable<HostView> Hosts { get; } = new(h => h.Key);
    public ObjectTable<MachineView> Machines { get; } = new(m => m.Key);
    public ObjectTable<ClusterView> Clusters { get; } = new(c => c.Key);

    /// <summary>Increases with every change: the page's live updates name the version they show.</summary>
    public long Version => Interlocked.Read(ref _version);

    public ICollection<EventView> Events => _events.Values;

    public TokenAge TokenOf(string poolKey) => _tokens.GetValueOrDefault(poolKey) ?? new TokenAge(TokenAccess.Unknown, null);

    public IWatchSink<JsonElement> PoolSink() => new TableSink<PoolView>(this, Pools, PoolView.Decode, FleetKinds.Pools);
    public IWatchSink<JsonElement> MachineSink() => new TableSink<MachineView>(this, Machines, MachineView.Decode, FleetKinds.Machines);
    public IWatchSink<JsonElement> ClusterSink() => new TableSink<ClusterView>(this, Clusters, ClusterView.Decode, FleetKinds.Clusters);
    public IWatchSink<JsonElement> HostSink() => new TableSink<HostView>(this, Hosts, HostDecoder.Decode, FleetKinds.Hosts, VipHistory.Observe);
    public IWatchSink<Corev1Event> EventSink() => new EventsSink(this);

    public void SetToken(string poolKey, TokenAge age)
    {
        if (_tokens.TryGetValue(poolKey, out var old) && old == age)
        {
            return;
        }

        _tokens[poolKey] = age;
        Notify(FleetKinds.Tokens);
    }

    private void Notify(FleetKinds kinds)
    {
        Interlocked.Increment(ref _version);
        Changed?.Invoke(kinds);
    }

    /// <summary>Only what the pages show: Warnings, and events about our kinds (host pages list them).</summary>
    private static bool Keep(EventView e) =>
        e.IsWarning || e.ObjectKind is "MachineInventory" or "MachineInventoryPool" or "BaremetalMachine" or "BaremetalCluster";

    private void KeepEvent(EventView e)
    {
        _events[e.Key] = e;
        if (_events.Count > _options.MaxEvents)
        {
            // Forget the oldest tenth at once, so a stream of new events does not sort the ring on every one.
            foreach (var old in _events.Values.OrderBy(v => v.Last ?? DateTimeOffset.MinValue).Take(Math.Max(1, _options.MaxEvents / 10)).ToList())
            {
                _events.TryRemove(old.Key, out _);
            }
        }
    }

    private sealed class TableSink<TView>(FleetStore store, ObjectTable<TView> table, Func<JsonElement, TView> decode, FleetKinds kind, Action<TView?, TView>? observe = null)
        : IWatchSink<JsonElement>
        where TView : class
    {
        public void Replace(IReadOnlyList<JsonElement> items)
        {
            var views = items.Select(decode).ToList();
            if (observe is not null)
            {
                foreach (var view in views)
                {
                    observe(table.Get(table.KeyOf(view)), view);
                }
            }

            table.Replace(views);
            store.Notify(kind);
        }

        public void Apply(WatchEventType type, JsonElement item)
        {
            var view = decode(item);
            var before = table.Apply(type, view);
            if (type != WatchEventType.Deleted)
            {
                observe?.Invoke(before, view);
            }

            store.Notify(kind);
        }
    }

    private sealed class EventsSink(FleetStore store) : IWatchSink<Corev1Event>
    {
        public void Replace(IReadOnlyList<Corev1Event> items)
        {
            store._events.Clear();
            foreach (var e in items.Select(EventView.From).Where(Keep).OrderBy(e => e.Last ?? DateTimeOffset.MinValue).TakeLast(store._options.MaxEvents))
            {
                store._events[e.Key] = e;
            }

            store.Notify(FleetKinds.Events);
        }

        public void Apply(WatchEventType type, Corev1Event item)
        {
            var view = EventView.From(item);
            if (type == WatchEventType.Deleted)
            {
                store._events.TryRemove(view.Key, out _);
            }
            else if (Keep(view))
            {
                store.KeepEvent(view);
            }

            store.Notify(FleetKinds.Events);
        }
    }
}
