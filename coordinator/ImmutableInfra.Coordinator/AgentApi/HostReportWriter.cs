using ImmutableInfra.Api.V1Beta1;
using ImmutableInfra.Contract.V1;
using ImmutableInfra.Coordinator.Hosts;
using ImmutableInfra.Coordinator.Observability;
using ImmutableInfra.Kubernetes.Client;
using ApiHostInventory = ImmutableInfra.Api.V1Beta1.HostInventory;

namespace ImmutableInfra.Coordinator.AgentApi;

/// <summary>
/// Writes one stream's reports (observed state, inventory) to its host's status within the host's write budget.
/// The agent sends whole snapshots, so reports that arrive while a write waits are coalesced: only the latest state
/// and the latest inventory are kept, and the next write carries them. The latest is never dropped: a failed write
/// keeps it for the next attempt, and <see cref="FlushAsync"/> writes what is left when the stream ends.
/// </summary>
internal sealed class HostReportWriter(HostStatusWriter writer, HostWriteBudget budget, string hostKey, string? namespaceName, string name) : IDisposable
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _pending = new(0, 1);
    private ObservedState? _state;
    private ApiHostInventory? _inventory;

    public void Post(ObservedState state)
    {
        lock (_lock)
        {
            Coalesce(_state is not null);
            _state = state;
        }

        Signal();
    }

    public void Post(ApiHostInventory inventory)
    {
        lock (_lock)
        {
            Coalesce(_inventory is not null);
            _inventory = inventory;
        }

        Signal();
    }

    /// <summary>Writes reports as they come, one budgeted write at a time, until <paramref name="ct"/> ends.</summary>
    public async Task RunAsync(Action<Exception> failed, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await _pending.WaitAsync(ct).ConfigureAwait(false);
                await budget.WaitAsync(hostKey, ct).ConfigureAwait(false);
                try
                {
                    await WriteAsync(ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is KubeApiException or KubeConnectionException)
                {
                    failed(e);
                    Signal();
                    await Task.Delay(RetryAfterFailure, ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes what is still pending, outside the budget (once per stream, and streams are budgeted).</summary>
    public Task FlushAsync(CancellationToken ct) => WriteAsync(ct);

    public void Dispose() => _pending.Dispose();

    private async Task WriteAsync(CancellationToken ct)
    {
        ObservedState? state;
        ApiHostInventory? inventory;
        lock (_lock)
        {
            (state, inventory) = (_state, _inventory);
            (_state, _inventory) = (null, null);
        }

        if (state is null && inventory is null)
        {
            return;
        }

        try
        {
            await writer.UpdateAsync(namespaceName, name, h =>
            {
                if (inventory is not null)
                {
                    h.Status!.Inventory = inventory;
                }

                return state is null || ObservedStateApplier.Apply(h.Status!, state);
            }, h => false, ct).ConfigureAwait(false);
        }
        catch
        {
            // Put back what newer reports have not replaced, so the latest is written by the next attempt.
            lock (_lock)
            {
                _state ??= state;
                _inventory ??= inventory;
            }

            throw;
        }
    }

    private static void Coalesce(bool replacing)
    {
        if (replacing)
        {
            CoordinatorMetrics.CoalescedReports.Add(1);
        }
    }

    private void Signal()
    {
        try
        {
            _pending.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled; the next write takes everything pending.
        }
        catch (ObjectDisposedException)
        {
            // The stream ended.
        }
    }
}
