using System.Diagnostics.Metrics;
using ImmutableInfra.Coordinator.Observability;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Queue;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Coordinator.Controllers;

/// <summary>
/// One controller's queue and workers: keys ("namespace/name") are de-duplicated, failures retried with
/// backoff, conflicts retried at once (someone else wrote first; the cache will show it).
/// </summary>
internal sealed partial class ControllerLoop : IDisposable
{
    private readonly string _name;
    private readonly Func<string, CancellationToken, Task<WorkResult>> _reconcile;
    private readonly ILogger _logger;
    private readonly ObservableGauge<int> _depth;

    public ControllerLoop(string name, Func<string, CancellationToken, Task<WorkResult>> reconcile, TimeProvider time, ILogger logger)
    {
        _name = name;
        _reconcile = reconcile;
        _logger = logger;
        Queue = new WorkQueue<string>(new WorkQueueOptions { BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromSeconds(60) }, time);
        _depth = CoordinatorMetrics.Meter.CreateObservableGauge("immutableinfra.controller.queue_depth", () =>
            new Measurement<int>(Queue.Count, new KeyValuePair<string, object?>("controller", _name)), description: "Keys waiting in a controller's queue.");
    }

    public WorkQueue<string> Queue { get; }

    public void Enqueue(string key) => Queue.Add(key);

    /// <summary>Queues the key ahead of the others: its reconcile gates something waiting (a machine without a host).</summary>
    public void EnqueueUrgent(string key) => Queue.Add(key, urgent: true);

    /// <summary>Queues the key after a delay; calls before it fires coalesce into that one reconcile.</summary>
    public void EnqueueAfter(string key, TimeSpan delay) => Queue.AddAfter(key, delay);

    public Task RunAsync(int concurrency, CancellationToken cancellationToken) =>
        WorkQueueWorkers.RunAsync(Queue, concurrency, ReconcileAsync, _logger, cancellationToken);

    public void Dispose() => Queue.Dispose();

    private async Task<WorkResult> ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _reconcile(key, cancellationToken).ConfigureAwait(false);
            Count("ok");
            return result;
        }
        catch (KubeConflictException)
        {
            Count("conflict");
            return WorkResult.Retry;
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException or TimeoutException)
        {
            Count("error");
            ReconcileFailed(_logger, e, _name, key);
            return WorkResult.Retry;
        }
    }

    private void Count(string result) => CoordinatorMetrics.Reconciles.Add(1,
        new KeyValuePair<string, object?>("controller", _name), new KeyValuePair<string, object?>("result", result));

    [LoggerMessage(EventId = 5301, Level = LogLevel.Warning, Message = "{Controller} reconcile of {Key} failed; retrying with backoff")]
    private static partial void ReconcileFailed(ILogger logger, Exception exception, string controller, string key);
}
