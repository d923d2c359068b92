using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.Kubernetes.Queue;

/// <summary>Runs a bounded number of workers over a <see cref="WorkQueue{T}"/> (controller-runtime's MaxConcurrentReconciles).</summary>
public static class WorkQueueWorkers
{
    /// <summary>Processes items until the queue shuts down or the token is cancelled; exceptions requeue with backoff.</summary>
    public static Task RunAsync<T>(
        WorkQueue<T> queue,
        int concurrency,
        Func<T, CancellationToken, Task<WorkResult>> process,
        ILogger? logger = null,
        CancellationToken cancellationToken = default)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(process);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var log = logger ?? NullLogger.Instance;
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WorkAsync(queue, process, log, cancellationToken), CancellationToken.None)));
    }

    private static async Task WorkAsync<T>(WorkQueue<T> queue, Func<T, CancellationToken, Task<WorkResult>> process, ILogger logger, CancellationToken cancellationToken)
        where T : notnull
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            (bool ok, T item) next;
            try
            {
                next = await queue.TakeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!next.ok)
            {
                return;
            }

            try
            {
                var result = await process(next.item, cancellationToken).ConfigureAwait(false);
                if (result.Requeue)
                {
                    queue.AddRateLimited(next.item);
                }
                else
                {
                    queue.Forget(next.item);
                    if (result.RequeueAfter is { } delay)
                    {
                        queue.AddAfter(next.item, delay);
                    }
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                queue.AddRateLimited(next.item);
                var failures = queue.Failures(next.item);
                var name = next.item.ToString() ?? string.Empty;
                WorkQueueLog.Failed(logger, e, name, failures);
            }
            finally
            {
                queue.Done(next.item);
            }
        }
    }
}
