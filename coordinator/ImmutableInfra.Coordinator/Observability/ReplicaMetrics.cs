using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Prometheus;

namespace ImmutableInfra.Coordinator.Observability;

/// <summary>
/// One replica's prometheus-net registry, holding a prometheus-net Counter, Gauge or Histogram for each of our
/// System.Diagnostics.Metrics instruments (meters whose name starts with a given prefix) and kept up to date from
/// them; /metrics serves the registry.
/// </summary>
/// <remarks>
/// Why instruments stay System.Diagnostics.Metrics: it is .NET's instrumentation API, and the Kubernetes library the
/// NativeAOT agent also links records its metrics through it without depending on an exporter. Why this bridge and not
/// prometheus-net's MeterAdapter: the adapter (8.2.1) exports every counter as a gauge (no <c>_total</c>, no counter
/// type), prefixes every name with the meter's name and expires series nobody updated for five minutes, so it would
/// rename or drop every metric operators and the benchmarks read. Names here are the instrument's with '.' as '_',
/// the unit as a suffix ("s" is <c>_seconds</c>) and <c>_total</c> on counters, as before. A registry per replica (not
/// the static default) lets tests and the lab run several replicas in one process; the instruments are the process's,
/// so each replica's /metrics shows the process's counts, as a one-replica process has.
/// </remarks>
internal sealed class ReplicaMetrics : IDisposable
{
    /// <summary>Label sets kept per metric; measurements with further sets are dropped, so series stay bounded.</summary>
    public const int MaxSeriesPerMetric = 10_000;

    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Bridge> _bridges = new();
    // Instruments of the same name (each replica's FleetGauges has its own Meter) feed one metric.
    private readonly ConcurrentDictionary<string, Bridge> _byName = new(StringComparer.Ordinal);
    private readonly Lock _observing = new();

    public ReplicaMetrics(params string[] meterPrefixes)
    {
        var factory = Metrics.WithCustomRegistry(Registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meterPrefixes.Any(p => instrument.Meter.Name.StartsWith(p, StringComparison.Ordinal)))
            {
                _bridges[instrument] = _byName.GetOrAdd(PrometheusName(instrument), name => new Bridge(factory, instrument, name));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
        Registry.AddBeforeCollectCallback(ObserveGauges);
    }

    /// <summary>The registry /metrics serves.</summary>
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public void Dispose() => _listener.Dispose();

    private static string PrometheusName(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_').Replace('-', '_');
        var unit = instrument.Unit switch
        {
            "s" => "_seconds",
            "By" => "_bytes",
            _ => string.Empty,
        };
        name += name.EndsWith(unit, StringComparison.Ordinal) ? string.Empty : unit;
        return instrument is Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double>
            ? name + "_total"
            : name;
    }

    /// <summary>Observable gauges are read at scrape time; a series not reported this time is removed.</summary>
    private void ObserveGauges()
    {
        lock (_observing)
        {
            var observable = _byName.Values.Where(b => b.IsObservable).ToList();
            observable.ForEach(b => b.StartObservation());
            _listener.RecordObservableInstruments();
            observable.ForEach(b => b.EndObservation());
        }
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_bridges.TryGetValue(instrument, out var bridge))
        {
            bridge.Record(value, tags);
        }
    }

    /// <summary>One prometheus-net metric fed by the instruments of its name.</summary>
    private sealed class Bridge(IMetricFactory factory, Instrument instrument, string name)
    {
        private readonly ConcurrentDictionary<string, ChildBase> _series = new(StringComparer.Ordinal);
        private readonly Lock _create = new();
        private HashSet<string>? _observed;
        private volatile Collector? _metric;
        private string[]? _labelNames;

        public bool IsObservable { get; } = instrument.IsObservable;

        public void StartObservation() => _observed = new HashSet<string>(StringComparer.Ordinal);

        public void EndObservation()
        {
            var observed = _observed!;
            _observed = null;
            foreach (var key in _series.Keys.Where(k => !observed.Contains(k)))
            {
                if (_series.TryRemove(key, out var child))
                {
                    child.Remove();
                }
            }
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = tags.ToArray().OrderBy(t => t.Key, StringComparer.Ordinal).ToArray();
            var metric = Metric(labels);
            if (!labels.Select(l => LabelName(l.Key)).SequenceEqual(_labelNames!))
            {
                // An instrument records one set of tag names; a measurement with another set has no series to go to.
                return;
            }

            var values = labels.Select(l => Convert.ToString(l.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty).ToArray();
            var key = string.Join('\u001f', values);
            if (!_series.TryGetValue(key, out var child))
            {
                if (_series.Count >= MaxSeriesPerMetric)
                {
                    return;
                }

                child = _series.GetOrAdd(key, _ => metric switch
                {
                    Counter counter => counter.WithLabels(values),
                    Gauge gauge => gauge.WithLabels(values),
                    Histogram histogram => histogram.WithLabels(values),
                    _ => throw new InvalidOperationException($"{name}: unexpected metric type"),
                });
            }

            _observed?.Add(key);
            switch (child)
            {
                case Counter.Child counter when IsObservable:
                    counter.IncTo(value);
                    break;
                case Counter.Child counter:
                    counter.Inc(value);
                    break;
                case Gauge.Child gauge when IsObservable:
                    gauge.Set(value);
                    break;
                case Gauge.Child gauge:
                    gauge.Inc(value);
                    break;
                case Histogram.Child histogram:
                    histogram.Observe(value);
                    break;
            }
        }

        private static string LabelName(string tag) => tag.Replace('.', '_').Replace('-', '_');

        /// <summary>The metric, created at the first measurement, whose tag names become its label names.</summary>
        private Collector Metric(KeyValuePair<string, object?>[] labels)
        {
            if (_metric is { } created)
            {
                return created;
            }

            lock (_create)
            {
                if (_metric is not null)
                {
                    return _metric;
                }

                _labelNames = labels.Select(l => LabelName(l.Key)).ToArray();
                var help = instrument.Description ?? string.Empty;
                _metric = instrument switch
                {
                    Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> =>
                        factory.CreateCounter(name, help, _labelNames),
                    Histogram<long> or Histogram<int> or Histogram<double> =>
                        factory.CreateHistogram(name, help, _labelNames, new HistogramConfiguration { Buckets = Buckets }),
                    _ => factory.CreateGauge(name, help, _labelNames),
                };
                return _metric;
            }
        }
    }
}
