using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace ImmutableInfra.Coordinator.Observability;

/// <summary>
/// Aggregates System.Diagnostics.Metrics instruments of our meters and writes them in the Prometheus
/// text exposition format (0.0.4): counters as <c>_total</c>, up-down counters and observable gauges as
/// gauges, histograms as cumulative <c>_bucket</c>/<c>_sum</c>/<c>_count</c>. Names get dots as underscores
/// and the unit as a suffix. Series are bounded by <see cref="MaxSeriesPerInstrument"/>.
/// </summary>
internal sealed class PrometheusTextExporter : IDisposable
{
    public const int MaxSeriesPerInstrument = 10_000;

    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _instruments = new();
    private readonly Lock _collect = new();

    public PrometheusTextExporter(params string[] meterPrefixes)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meterPrefixes.Any(p => instrument.Meter.Name.StartsWith(p, StringComparison.Ordinal)))
            {
                _instruments[instrument] = new InstrumentState(instrument);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>The exposition text of every instrument now (observable ones are read at this moment).</summary>
    public string Collect()
    {
        lock (_collect)
        {
            foreach (var state in _instruments.Values.Where(s => s.IsObservable))
            {
                state.ClearGauges();
            }

            _listener.RecordObservableInstruments();
            var text = new StringBuilder();
            foreach (var state in _instruments.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                state.Write(text);
            }

            return text.ToString();
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_instruments.TryGetValue(instrument, out var state))
        {
            state.Record(value, tags);
        }
    }

    private sealed class InstrumentState
    {
        private readonly Instrument _instrument;
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly Kind _kind;

        public InstrumentState(Instrument instrument)
        {
            _instrument = instrument;
            var type = instrument.GetType();
            var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
            _kind = generic == typeof(Counter<>) || generic == typeof(ObservableCounter<>) ? Kind.Counter
                : generic == typeof(Histogram<>) ? Kind.Histogram
                : generic == typeof(UpDownCounter<>) ? Kind.UpDownCounter
                : Kind.Gauge;
            IsObservable = instrument.IsObservable;
            var baseName = instrument.Name.Replace('.', '_').Replace('-', '_');
            var unit = instrument.Unit switch
            {
                "s" => "_seconds",
                "By" => "_bytes",
                _ => string.Empty,
            };
            Name = baseName + (baseName.EndsWith(unit, StringComparison.Ordinal) ? string.Empty : unit);
        }

        public string Name { get; }

        public bool IsObservable { get; }

        public void ClearGauges() => _series.Clear();

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = FormatLabels(tags);
            if (!_series.TryGetValue(labels, out var series))
            {
                if (_series.Count >= MaxSeriesPerInstrument)
                {
                    return;
                }

                series = _series.GetOrAdd(labels, _ => new Series());
            }

            lock (series)
            {
                switch (_kind)
                {
                    case Kind.Histogram:
                        series.Count++;
                        series.Sum += value;
                        for (var i = 0; i < Buckets.Length; i++)
                        {
                            if (value <= Buckets[i])
                            {
                                series.Buckets[i]++;
                            }
                        }

                        break;
                    case Kind.Counter when IsObservable:
                    case Kind.Gauge:
                        series.Sum = value;
                        break;
                    default:
                        series.Sum += value;
                        break;
                }
            }
        }

        public void Write(StringBuilder text)
        {
            if (_series.IsEmpty)
            {
                return;
            }

            var (type, suffix) = _kind switch
            {
                Kind.Counter => ("counter", "_total"),
                Kind.Histogram => ("histogram", string.Empty),
                _ => ("gauge", string.Empty),
            };
            if (!string.IsNullOrEmpty(_instrument.Description))
            {
                text.Append("# HELP ").Append(Name).Append(suffix).Append(' ').Append(_instrument.Description.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
            }

            text.Append("# TYPE ").Append(Name).Append(suffix).Append(' ').Append(type).Append('\n');
            foreach (var (labels, series) in _series.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                lock (series)
                {
                    if (_kind != Kind.Histogram)
                    {
                        text.Append(Name).Append(suffix).Append(Braced(labels)).Append(' ').Append(Number(series.Sum)).Append('\n');
                        continue;
                    }

                    for (var i = 0; i < Buckets.Length; i++)
                    {
                        text.Append(Name).Append("_bucket").Append(Braced(Join(labels, $"le=\"{Number(Buckets[i])}\""))).Append(' ').Append(series.Buckets[i]).Append('\n');
                    }

                    text.Append(Name).Append("_bucket").Append(Braced(Join(labels, "le=\"+Inf\""))).Append(' ').Append(series.Count).Append('\n');
                    text.Append(Name).Append("_sum").Append(Braced(labels)).Append(' ').Append(Number(series.Sum)).Append('\n');
                    text.Append(Name).Append("_count").Append(Braced(labels)).Append(' ').Append(series.Count).Append('\n');
                }
            }
        }

        private static string FormatLabels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.IsEmpty)
            {
                return string.Empty;
            }

            var pairs = new List<string>(tags.Length);
            foreach (var (key, value) in tags)
            {
                var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                pairs.Add($"{key.Replace('.', '_')}=\"{text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"");
            }

            pairs.Sort(StringComparer.Ordinal);
            return string.Join(',', pairs);
        }

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

        private static string Braced(string labels) => labels.Length == 0 ? string.Empty : "{" + labels + "}";

        private static string Number(double value) =>
            double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString("R", CultureInfo.InvariantCulture);
    }

    private sealed class Series
    {
        public double Sum;
        public long Count;
        public readonly long[] Buckets = new long[PrometheusTextExporter.Buckets.Length];
    }

    private enum Kind
    {
        Counter,
        UpDownCounter,
        Histogram,
        Gauge,
    }
}
