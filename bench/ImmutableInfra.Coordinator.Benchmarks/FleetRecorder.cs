using System.Collections.Concurrent;
using System.Diagnostics;

namespace ImmutableInfra.Coordinator.Benchmarks;

/// <summary>What the simulated agents saw, for the benchmark to read: bootstrap deliveries and trouble.</summary>
internal sealed class FleetRecorder
{
    private readonly ConcurrentDictionary<string, long> _deliveredAt = new(StringComparer.Ordinal);
    private long _registered;
    private long _registrationRetries;
    private long _streamsOpen;
    private long _reconnects;
    private long _fetchRetries;
    private long _failures;

    /// <summary>Stopwatch timestamps of bootstrap data arriving, by machine ("namespace/name").</summary>
    public IReadOnlyDictionary<string, long> DeliveredAt => _deliveredAt;

    public long Registered => Interlocked.Read(ref _registered);

    public long RegistrationRetries => Interlocked.Read(ref _registrationRetries);

    public long StreamsOpen => Interlocked.Read(ref _streamsOpen);

    public long Reconnects => Interlocked.Read(ref _reconnects);

    public long FetchRetries => Interlocked.Read(ref _fetchRetries);

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>The last failure an agent saw, for the error message when a phase does not finish.</summary>
    public string? LastFailure { get; private set; }

    public void Delivered(string machine) => _deliveredAt.TryAdd(machine, Stopwatch.GetTimestamp());

    public void OnRegistered() => Interlocked.Increment(ref _registered);

    public void OnRegistrationRetry() => Interlocked.Increment(ref _registrationRetries);

    public void OnStreamOpened() => Interlocked.Increment(ref _streamsOpen);

    public void OnStreamClosed() => Interlocked.Decrement(ref _streamsOpen);

    public void OnReconnect() => Interlocked.Increment(ref _reconnects);

    public void OnFetchRetry() => Interlocked.Increment(ref _fetchRetries);

    public void OnFailure(string what)
    {
        Interlocked.Increment(ref _failures);
        LastFailure = what;
    }
}
