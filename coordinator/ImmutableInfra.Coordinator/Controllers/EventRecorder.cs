using System.Threading.Channels;
using ImmutableInfra.Coordinator.Observability;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Coordinator.Controllers;

/// <summary>
/// Kubernetes Events for transitions operators should see in `kubectl describe`. Recording never waits for the API:
/// events go to a bounded queue that a few senders drain, so a burst of claims does not queue its claim writes behind
/// its own events (as client-go's broadcaster does). A full queue drops the new event and counts it; a failed send
/// is logged. Neither is fatal: events are a courtesy, the conditions carry the state.
/// </summary>
internal sealed partial class EventRecorder(IResourceClient<KubeEvent> events, string replicaId, TimeProvider time, ILogger<EventRecorder> logger)
{
    public const string Component = "immutableinfra-coordinator";

    /// <summary>Events waiting to be sent; about 1 KB each.</summary>
    public const int QueueCapacity = 4096;

    private const int Senders = 4;

    private readonly Channel<KubeEvent> _queue = Channel.CreateBounded<KubeEvent>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite },
        _ => CoordinatorMetrics.EventsDropped.Add(1));

    public void Normal(KubeObject subject, string kind, string reason, string message) =>
        Record(subject, kind, "Normal", reason, message);

    public void Warning(KubeObject subject, string kind, string reason, string message) =>
        Record(subject, kind, "Warning", reason, message);

    /// <summary>Sends queued events until <paramref name="ct"/> is cancelled; what is still queued then is dropped.</summary>
    public Task RunAsync(CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => SendLoopAsync(ct)));

    private void Record(KubeObject subject, string kind, string type, string reason, string message)
    {
        var now = time.GetUtcNow();
        _queue.Writer.TryWrite(new KubeEvent
        {
            ApiVersion = KubeResources.Events.ApiVersion,
            Kind = KubeResources.Events.Kind,
            Metadata = new ObjectMeta { GenerateName = (subject.Metadata.Name ?? "object") + ".", Namespace = subject.Metadata.Namespace ?? "default" },
            InvolvedObject = new ObjectReference
            {
                ApiVersion = subject.ApiVersion,
                Kind = kind,
                Name = subject.Metadata.Name,
                Namespace = subject.Metadata.Namespace,
                Uid = subject.Metadata.Uid,
            },
            Reason = reason,
            Message = message,
            Type = type,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new EventSource { Component = Component },
            ReportingComponent = Component,
            ReportingInstance = replicaId,
        });
    }

    private async Task SendLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    await events.CreateAsync(item, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is KubeApiException or KubeConnectionException)
                {
                    RecordFailed(logger, e, item.Reason, item.InvolvedObject?.Name);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "Recording event {Reason} for {Name} failed")]
    private static partial void RecordFailed(ILogger logger, Exception exception, string? reason, string? name);
}
