using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.VipNet.Harness;

/// <summary>Keeps the arbiters' log lines (state changes, failed Lease attempts) with the cluster's clock, for failure messages.</summary>
internal sealed class EventRecorder(Stopwatch clock)
{
    private const int MaxLines = 400;
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger For(string host) => new HostLogger(this, host);

    private void Add(string line)
    {
        _lines.Enqueue($"{clock.Elapsed.TotalMilliseconds:0}ms {line}");
        while (_lines.Count > MaxLines && _lines.TryDequeue(out _))
        {
        }
    }

    private sealed class HostLogger(EventRecorder recorder, string host) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            recorder.Add($"{host}: {formatter(state, exception)}{(exception is null ? string.Empty : " [" + exception.GetType().Name + ": " + exception.Message + "]")}");
    }
}
