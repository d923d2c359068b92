using ImmutableInfra.Agent.Bootstrap;
using ImmutableInfra.Agent.Reset;
using ImmutableInfra.Agent.Vip;
using ImmutableInfra.Contract.V1;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Coordination;

/// <summary>
/// Converges the host to the newest desired state, one generation at a time, and acknowledges each.
/// Runs apart from the stream: a dropped connection neither stops nor restarts an action.
/// </summary>
/// <remarks>
/// A generation at or below the acknowledged one, or the one running, is not executed again.
/// A newer generation arriving while an action runs supersedes it only while the action is still
/// fetching its bootstrap data (nothing has touched the host yet). Once bootstrap steps or a reset
/// run, the action finishes: cancelling kubeadm mid-join or a wipe mid-disk leaves a host in a
/// state neither generation describes, and both are bounded by their command timeouts. The newest
/// generation runs right after; generations in between are skipped. Stopping the agent (SIGTERM)
/// does cancel the action, unacknowledged: the journal resumes a provision after its last
/// completed step, and a reset is idempotent.
/// </remarks>
internal sealed class DesiredStateConverger(
    ObservedStateTracker tracker,
    ConvergedStateStore store,
    BootstrapDataFetcher fetcher,
    BootstrapExecutor executor,
    HostResetter resetter,
    LinkStatus status,
    ControlPlaneVip vip,
    ILogger<DesiredStateConverger> logger)
{
    private readonly Lock _gate = new();
    private readonly WakeSignal _wake = new();
    private DesiredState? _pending;
    private long _runningGeneration;
    private CancellationTokenSource? _supersede;

    /// <summary>Takes a desired state from the coordinator; returns at once (the action runs in <see cref="RunAsync"/>).</summary>
    public void Offer(DesiredState desired)
    {
        lock (_gate)
        {
            var newest = Math.Max(Math.Max(tracker.AckedGeneration, _runningGeneration), _pending?.Generation ?? 0);
            // The VIP role is a standing state, not an action: a resent generation (after an agent restart)
            // must hand it over again, so it goes to the VIP component before the generation check.
            if (desired.Generation >= newest)
            {
                vip.Offer(desired.VipRole);
            }

            if (desired.Generation <= newest)
            {
                CoordinationLog.GenerationAlreadyHandled(logger, desired.Generation, newest);
                return;
            }

            _pending = desired;
            // Cancelling runs the fetch call's abort inline; it takes no lock of ours.
            _supersede?.Cancel();
        }

        CoordinationLog.DesiredStateReceived(logger, desired.Generation, desired.ActionCase);
        _wake.Signal();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _wake.WaitAsync(cancellationToken).ConfigureAwait(false);
            while (TakePending() is { } desired)
            {
                try
                {
                    await ConvergeAsync(desired, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    lock (_gate)
                    {
                        _runningGeneration = 0;
                    }
                }
            }
        }
    }

    private DesiredState? TakePending()
    {
        lock (_gate)
        {
            var desired = _pending;
            _pending = null;
            _runningGeneration = desired?.Generation ?? 0;
            return desired;
        }
    }

    private async Task ConvergeAsync(DesiredState desired, CancellationToken cancellationToken)
    {
        try
        {
            switch (desired.ActionCase)
            {
                case DesiredState.ActionOneofCase.Provision:
                    await ProvisionAsync(desired.Generation, desired.Provision, cancellationToken).ConfigureAwait(false);
                    break;
                case DesiredState.ActionOneofCase.Reset:
                    await ResetAsync(desired.Generation, desired.Reset, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    Finish(desired.Generation, HostPhase.Idle, string.Empty);
                    break;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            CoordinationLog.ActionInterrupted(logger, desired.Generation);
            throw;
        }
#pragma warning disable CA1031 // A bug in an action must end as FAILED for this generation, not kill the agent or loop.
        catch (Exception e)
#pragma warning restore CA1031
        {
            // Only the type: messages of parser or library exceptions may quote bootstrap data.
            CoordinationLog.ActionCrashed(logger, desired.Generation, e.GetType().FullName ?? e.GetType().Name);
            Finish(desired.Generation, HostPhase.Failed, $"internal error ({e.GetType().Name}); see the agent log");
        }
    }

    private async Task ProvisionAsync(long generation, Provision provision, CancellationToken cancellationToken)
    {
        // A newer generation for the machine this host already became (the coordinator changed the VIP role
        // as control-plane membership changed) is acknowledged as it stands: bootstrap runs once per machine.
        if (tracker.Snapshot().State is { Phase: HostPhase.Provisioned, Bootstrap: { Complete: true } done } && done.MachineUid == provision.MachineUid)
        {
            CoordinationLog.AlreadyProvisioned(logger, generation, provision.Machine);
            Finish(generation, HostPhase.Provisioned, string.Empty);
            return;
        }

        CoordinationLog.ProvisionStarting(logger, generation, provision.Machine, provision.MachineUid);
        tracker.Update(s =>
        {
            s.Phase = HostPhase.Provisioning;
            s.FailureReason = string.Empty;
            s.Reset = null;
            s.Bootstrap = new BootstrapProgress { MachineUid = provision.MachineUid };
        });
        status.SetActivity($"provisioning {provision.Machine}: fetching bootstrap data");

        byte[]? data;
        string failure;
        using (var supersede = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            lock (_gate)
            {
                _supersede = supersede;
            }

            try
            {
                (data, failure) = await fetcher.FetchAsync(provision, supersede.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                CoordinationLog.Superseded(logger, generation);
                return;
            }
            finally
            {
                lock (_gate)
                {
                    _supersede = null;
                }
            }
        }

        if (data is null)
        {
            Finish(generation, HostPhase.Failed, failure);
            return;
        }

        var progress = new InlineProgress<BootstrapProgress>(p =>
        {
            if (!p.Complete)
            {
                status.SetActivity($"provisioning step {p.Step}/{p.TotalSteps}");
            }

            tracker.Update(s => s.Bootstrap = p.Clone());
        });
        var outcome = await executor.ExecuteAsync(provision, data, progress, cancellationToken).ConfigureAwait(false);
        Finish(generation, outcome.Succeeded ? HostPhase.Provisioned : HostPhase.Failed, outcome.FailureReason);
    }

    private async Task ResetAsync(long generation, ContractReset reset, CancellationToken cancellationToken)
    {
        CoordinationLog.ResetStarting(logger, generation, reset.MachineUid);
        tracker.Update(s =>
        {
            s.Phase = HostPhase.Resetting;
            s.FailureReason = string.Empty;
            s.Reset = new ResetProgress();
        });
        status.SetActivity("resetting");

        var lastStep = string.Empty;
        var progress = new InlineProgress<ResetProgress>(p =>
        {
            if (p.Step != lastStep)
            {
                lastStep = p.Step;
                status.SetActivity("resetting: " + p.Step);
            }

            tracker.Update(s => s.Reset = p.Clone());
        });
        var outcome = await resetter.ResetAsync(reset, progress, cancellationToken).ConfigureAwait(false);
        if (outcome.Succeeded)
        {
            Finish(generation, HostPhase.Idle, string.Empty, s => s.Bootstrap = null);
        }
        else
        {
            Finish(generation, HostPhase.Failed, outcome.FailureReason);
        }
    }

    /// <summary>Records the generation as done (or failed), durably first, then for the coordinator.</summary>
    private void Finish(long generation, HostPhase phase, string failureReason, Action<ObservedState>? more = null)
    {
        void Apply(ObservedState s)
        {
            s.AckedGeneration = generation;
            s.Phase = phase;
            s.FailureReason = failureReason;
            more?.Invoke(s);
        }

        try
        {
            tracker.Update(Apply, store.Save);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Acknowledge anyway: a restart would repeat the action, and every action is idempotent.
            CoordinationLog.ConvergedStateNotSaved(logger, store.Path, e.Message);
            tracker.Update(Apply);
        }

        CoordinationLog.GenerationAcknowledged(logger, generation, phase, failureReason);
        status.SetActivity(ActivityText.For(tracker.Snapshot().State));
    }

    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
