using ImmutableInfra.Contract.V1;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>
/// The host's current ObservedState, shared by the converger (which changes it) and the sync
/// session (which sends it). Every change completes the task handed out before it, so a sender
/// that took a snapshot and its Changed task together never misses an update.
/// </summary>
internal sealed class ObservedStateTracker(ObservedState initial)
{
    private readonly Lock _gate = new();
    private ObservedState _state = initial.Clone();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long AckedGeneration
    {
        get
        {
            lock (_gate)
            {
                return _state.AckedGeneration;
            }
        }
    }

    /// <summary>A copy of the state and a task that completes at the next change.</summary>
    public (ObservedState State, Task Changed) Snapshot()
    {
        lock (_gate)
        {
            return (_state.Clone(), _changed.Task);
        }
    }

    /// <summary>
    /// Applies <paramref name="mutate"/>, then <paramref name="persist"/> with the result before anyone can
    /// send it: an acknowledgement must never reach the coordinator ahead of the file that remembers it.
    /// </summary>
    public void Update(Action<ObservedState> mutate, Action<ObservedState>? persist = null)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            var next = _state.Clone();
            mutate(next);
            if (next.Equals(_state))
            {
                return;
            }

            // A failed write leaves the state as it was.
            persist?.Invoke(next.Clone());
            _state = next;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
