using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace ImmutableInfra.Grpc.Benchmarks;

/// <summary>Samples allocations (the runtime's AllocationTick event, about one per 100 KB) by type, for --alloc-profile.</summary>
internal sealed class AllocationSampler : EventListener
{
    private readonly ConcurrentDictionary<string, long> _bytesByType = new();

    public IEnumerable<KeyValuePair<string, long>> Top(int count) =>
        _bytesByType.OrderByDescending(p => p.Value).Take(count);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true || eventData.PayloadNames is null)
        {
            return;
        }

        var index = eventData.PayloadNames.IndexOf("TypeName");
        if (index >= 0 && eventData.Payload?[index] is string type)
        {
            _bytesByType.AddOrUpdate(type, 100_000, static (_, v) => v + 100_000);
        }
    }
}
