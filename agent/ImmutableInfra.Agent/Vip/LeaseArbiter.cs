using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Config;
using ImmutableInfra.Kubernetes.LeaderElection;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Vip;

/// <summary>What the arbiter last decided and saw, for VipStatus.</summary>
internal sealed record ArbiterSnapshot(ArbiterState State, VrrpEligibility Eligibility, string? LeaseHolder, long LeaseTransitions, DateTimeOffset? LastTransition);

/// <summary>
/// Decides whether this host may be VRRP master: only while it holds the Lease (or bootstraps the cluster, or
/// keeps the VIP as the fallback holder while nobody can write the Lease). An explicit state machine over
/// <see cref="LeaseLeaderElector"/>; the agent README's "VIP arbiter" section lists every transition and its bound.
/// </summary>
/// <remarks>
/// Single-threaded: <see cref="StepAsync"/> and <see cref="StopAsync"/> are called by one loop. The elector's
/// events are raised inside its tick, so a step-down reaches the track file before the tick's next attempt
/// (which may take the whole renew budget) begins.
/// </remarks>
internal sealed class LeaseArbiter : IDisposable
{
    private readonly VipOptions _options;
    private readonly ILeaseApiConnector _connector;
    private readonly IVrrpGate _gate;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly string _identity;
    private readonly string _leaseNamespace;
    private readonly string _leaseName;
    private bool _initializing;
    private bool _connectedInitializing;
    private LeaseApi? _api;
    private WriteTrackingLeaseClient? _leases;
    private LeaseLeaderElector? _elector;
    private ArbiterState _state;
    private VrrpEligibility? _written;
    private string? _holder;
    private long _transitions;
    private DateTimeOffset? _lastTransition;
    private long? _apiAnsweredAt;
    private bool _stopping;
    private long _handoverDeadline;

    public LeaseArbiter(
        string identity, string leaseNamespace, string leaseName, bool initializing, VipOptions options, ILeaseApiConnector connector, IVrrpGate gate,
        TimeProvider time, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(identity);
        ArgumentException.ThrowIfNullOrWhiteSpace(leaseNamespace);
        ArgumentException.ThrowIfNullOrWhiteSpace(leaseName);
        options.Validate();
        _identity = identity;
        _leaseNamespace = leaseNamespace;
        _leaseName = leaseName;
        _initializing = initializing;
        _options = options;
        _connector = connector;
        _gate = gate;
        _time = time;
        _logger = logger;
        _state = initializing ? ArbiterState.Bootstrapping : ArbiterState.Following;
        SyncGate();
    }

    /// <summary>
    /// The coordinator clears it once the cluster is up. The kubeconfig choice follows at the next connect,
    /// which happens only while not holding: a holder never swaps its connection under a live Lease.
    /// </summary>
    public bool Initializing
    {
        set
        {
            lock (_lock)
            {
                _initializing = value;
            }
        }
    }

    public ArbiterSnapshot Snapshot()
    {
        lock (_lock)
        {
            return new ArbiterSnapshot(_state, EligibilityOf(_state), _holder, _transitions, _lastTransition);
        }
    }

    /// <summary>Steps until cancelled. Cancelling is not a graceful stop: call <see cref="StopAsync"/> for that.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var delay = await StepAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Does what is due now and returns the time until the next step.</summary>
    public async Task<TimeSpan> StepAsync(CancellationToken cancellationToken)
    {
        if (_state == ArbiterState.Stopped)
        {
            return _options.RetryPeriod;
        }

        if (_stopping)
        {
            return await HandoverStepAsync(cancellationToken).ConfigureAwait(false);
        }

        SyncGate();
        if (_state is ArbiterState.Bootstrapping or ArbiterState.Following && (_api is null || _connectedInitializing != _initializing))
        {
            Connect();
        }

        if (_elector is null || _leases is null)
        {
            Reconcile();
            return _options.RetryPeriod;
        }

        // Renewals overdue (or already fallen back): learn whether the local apiserver still answers, so a
        // step-down can tell "my apiserver is gone" (demote) from "nobody can write the Lease" (fall back).
        if (_state == ArbiterState.Fallback || (_state == ArbiterState.Leading && _leases.SinceLastWrite > _options.RetryPeriod * 1.5))
        {
            await ProbeAsync(_leases, cancellationToken).ConfigureAwait(false);
        }

        var delay = await _elector.TickAsync(cancellationToken).ConfigureAwait(false);
        Reconcile();
        return _state is ArbiterState.Leading or ArbiterState.Fallback && delay > _options.RetryPeriod ? _options.RetryPeriod : delay;
    }

    /// <summary>
    /// Graceful stop, as a handover: release the Lease while still VRRP master, demote as soon as a successor
    /// holds it (its keepalived is then a BACKUP hearing us, and our priority-0 advert lets it take over at
    /// once), or after 3 x RetryPeriod when nobody takes it. A successor cannot become master without
    /// hearing us before its master-down interval (3 x advert interval), so with RetryPeriod/2 well under that,
    /// even a VRRP cut during the handover does not give two masters. Returns once demoted.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await BeginStopAsync(cancellationToken).ConfigureAwait(false);
        while (_state != ArbiterState.Stopped)
        {
            var delay = await StepAsync(cancellationToken).ConfigureAwait(false);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Releases the Lease (or demotes at once when not holding it); the following steps finish the handover.</summary>
    public async Task BeginStopAsync(CancellationToken cancellationToken)
    {
        if (_stopping || _state == ArbiterState.Stopped)
        {
            return;
        }

        if (_state != ArbiterState.Leading || _elector is null)
        {
            Enter(ArbiterState.Stopped, "graceful stop");
            return;
        }

        _stopping = true;
        _handoverDeadline = _time.GetTimestamp() + (long)((_options.RetryPeriod * 3).TotalSeconds * _time.TimestampFrequency);
        using var bound = new CancellationTokenSource(_options.RetryPeriod * 3, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        await _elector.ReleaseAsync(linked.Token).ConfigureAwait(false);
    }

    // One step of the handover: demote once the Lease names anyone (a successor, or still us because the
    // release did not land and we no longer renew), or once the bound has passed.
    private async Task<TimeSpan> HandoverStepAsync(CancellationToken cancellationToken)
    {
        var remaining = TimeSpan.FromSeconds((double)(_handoverDeadline - _time.GetTimestamp()) / _time.TimestampFrequency);
        if (remaining <= TimeSpan.Zero || _leases is null)
        {
            Enter(ArbiterState.Stopped, "graceful stop: nobody took the released Lease in time");
            return _options.RetryPeriod;
        }

        using var bound = new CancellationTokenSource(remaining, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        try
        {
            var holder = (await _leases.GetAsync(_leaseNamespace, _leaseName, linked.Token).ConfigureAwait(false)).Spec?.HolderIdentity;
            lock (_lock)
            {
                _holder = string.IsNullOrEmpty(holder) ? null : holder;
            }

            if (!string.IsNullOrEmpty(holder))
            {
                Enter(ArbiterState.Stopped, $"graceful stop: handed over to {holder}");
                return _options.RetryPeriod;
            }
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Asked again at the next step, until the bound.
        }

        return remaining < _options.RetryPeriod / 2 ? remaining : _options.RetryPeriod / 2;
    }

    public void Dispose() => _api?.Dispose();

    private void Connect()
    {
        LeaseApi? api;
        try
        {
            api = _connector.TryConnect(_initializing);
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            VipLog.NotConnected(_logger, e.Message);
            return;
        }

        if (api is null)
        {
            return;
        }

        _api?.Dispose();
        _api = api;
        _connectedInitializing = _initializing;
        _leases = new WriteTrackingLeaseClient(api.Leases, _time);
        _elector = new LeaseLeaderElector(_leases, new LeaderElectionOptions
        {
            LeaseNamespace = _leaseNamespace,
            LeaseName = _leaseName,
            Identity = _identity,
            LeaseDuration = _options.LeaseDuration,
            RenewDeadline = _options.RenewDeadline,
            RetryPeriod = _options.RetryPeriod,
            // Release happens in StopAsync, after demoting.
            ReleaseOnStop = false,
        }, _time, _logger);
        _elector.StartedLeading += (_, e) =>
        {
            lock (_lock)
            {
                _transitions = e.LeaseTransitions;
                _holder = _identity;
            }

            Enter(ArbiterState.Leading, $"acquired the Lease (transitions {e.LeaseTransitions})");
        };
        _elector.StoppedLeading += (_, _) => LoseLease();
        _elector.NewLeaderObserved += (_, e) =>
        {
            lock (_lock)
            {
                _holder = e.Identity;
                _transitions = e.LeaseTransitions;
            }
        };
        VipLog.Connected(_logger, _leaseNamespace, _leaseName, _initializing ? "the initializing host's kubeconfig" : "admin kubeconfig");
    }

    private async Task ProbeAsync(WriteTrackingLeaseClient leases, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.ProbeTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        bool answered;
        try
        {
            // resourceVersion=0 is served from the apiserver's watch cache: it answers even when etcd has no quorum.
            await leases.ListAsync(_leaseNamespace, new ListOptions { FieldSelector = "metadata.name=" + _leaseName, ResourceVersion = "0" }, linked.Token)
                .ConfigureAwait(false);
            answered = true;
        }
        catch (KubeApiException)
        {
            // An error answer is still an answer: the process is alive.
            answered = true;
        }
        catch (Exception e) when (e is KubeConnectionException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            answered = false;
        }

        lock (_lock)
        {
            _apiAnsweredAt = answered ? _time.GetTimestamp() : null;
        }
    }

    private bool ApiAnsweredRecently()
    {
        lock (_lock)
        {
            return _apiAnsweredAt is { } at && _time.GetElapsedTime(at) <= (_options.RetryPeriod * 2) + _options.ProbeTimeout;
        }
    }

    // Called inside the elector's tick when it steps down (renew deadline passed, or another holder seen).
    private void LoseLease()
    {
        // The release during a graceful stop steps the elector down too; StopAsync decides when to demote.
        if (_state == ArbiterState.Stopped || _stopping)
        {
            return;
        }

        var holder = _elector?.ObservedLeader;
        if (holder is not null && holder != _identity)
        {
            Enter(ArbiterState.Following, $"the Lease is held by {holder}");
        }
        else if (ApiAnsweredRecently())
        {
            Enter(ArbiterState.Fallback, "the Lease cannot be renewed but the local apiserver answers: keeping the VIP at lower priority");
        }
        else
        {
            Enter(ArbiterState.Following, "the local apiserver does not answer");
        }
    }

    // The state after a tick, for what the elector's events do not cover.
    private void Reconcile()
    {
        var leading = _elector?.IsLeader == true;
        var holder = _elector?.ObservedLeader;
        var heldByOther = holder is not null && holder != _identity;
        switch (_state)
        {
            case ArbiterState.Leading when !leading:
                LoseLease();
                break;
            case ArbiterState.Fallback when heldByOther:
                Enter(ArbiterState.Following, $"the Lease is held by {holder}");
                break;
            case ArbiterState.Fallback when !ApiAnsweredRecently():
                Enter(ArbiterState.Following, "the local apiserver stopped answering");
                break;
            case ArbiterState.Bootstrapping when heldByOther:
                Enter(ArbiterState.Following, $"the Lease is held by {holder}");
                break;
            case ArbiterState.Bootstrapping when !_initializing:
                Enter(ArbiterState.Following, "no longer the initializing host");
                break;
            case not ArbiterState.Leading when leading:
                Enter(ArbiterState.Leading, "holds the Lease");
                break;
        }
    }

    private void Enter(ArbiterState next, string why)
    {
        ArbiterState previous;
        lock (_lock)
        {
            previous = _state;
            if (previous == next)
            {
                return;
            }

            _state = next;
            if (next == ArbiterState.Leading)
            {
                _holder = _identity;
            }
        }

        var eligibility = EligibilityOf(next);
        VipLog.StateChanged(_logger, _leaseNamespace, _leaseName, previous, next, why, eligibility);
        SyncGate();
    }

    private void SyncGate()
    {
        var wanted = EligibilityOf(_state);
        if (_written == wanted)
        {
            return;
        }

        try
        {
            _gate.Set(wanted);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Retried at the next step; a demotion that cannot be written is logged loudly.
            VipLog.GateFailed(_logger, wanted, e.Message);
            return;
        }

        lock (_lock)
        {
            var wasMaster = _written is VrrpEligibility.Eligible or VrrpEligibility.Fallback;
            var isMaster = wanted is VrrpEligibility.Eligible or VrrpEligibility.Fallback;
            if (_written is not null && wasMaster != isMaster)
            {
                _lastTransition = _time.GetUtcNow();
            }

            _written = wanted;
        }
    }

    private static VrrpEligibility EligibilityOf(ArbiterState state) => state switch
    {
        ArbiterState.Leading or ArbiterState.Bootstrapping => VrrpEligibility.Eligible,
        ArbiterState.Fallback => VrrpEligibility.Fallback,
        _ => VrrpEligibility.Barred,
    };
}
