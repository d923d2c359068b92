using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Coordinator.Controllers;

/// <summary>Kubernetes Events for transitions operators should see in `kubectl describe`. Failures to record are logged, never fatal.</summary>
internal sealed partial class EventRecorder(IResourceClient<KubeEvent> events, string replicaId, TimeProvider time, ILogger<EventRecorder> logger)
{
    public const string Component = "immutableinfra-coordinator";

    public Task NormalAsync(KubeObject subject, string kind, string reason, string message, CancellationToken ct) =>
        RecordAsync(subject, kind, "Normal", reason, message, ct);

    public Task WarningAsync(KubeObject subject, string kind, string reason, string message, CancellationToken ct) =>
        RecordAsync(subject, kind, "Warning", reason, message, ct);

    private async Task RecordAsync(KubeObject subject, string kind, string type, string reason, string message, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var item = new KubeEvent
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
        };
        try
        {
            await events.CreateAsync(item, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException)
        {
            RecordFailed(logger, e, reason, subject.Metadata.Name);
        }
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning, Message = "Recording event {Reason} for {Name} failed")]
    private static partial void RecordFailed(ILogger logger, Exception exception, string reason, string? name);
}
