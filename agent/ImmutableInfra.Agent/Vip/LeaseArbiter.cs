using k8s.Exceptions;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Vip;

/// <summary>What the arbiter last decided and saw, for VipStatus.</summary>
internal sealed record ArbiterSnapshot(ArbiterState State, VrrpEligibility Eligibility, string? LeaseHolder, long LeaseTransitions, DateTimeOffset? LastTransition);

/// <summary>
/// Decides whether this host may be VRRP master: only while it holds the Lease (or bootstraps the cluster, or
/// keeps the VIP as the fallback holder while its Lease cannot be written). An explicit state machine with
/// client-go's Lease semantics on the monotonic clock; the agent README's "VIP arbiter" section lists every
/// transition and its bound.
/// </summary>
/// <remarks>
/// Our own elector rather than a library's: a slow apiserver must not cost the VIP, so renewals are sent every
/// RetryPeriod whether or not earlier ones were answered (each a conditional JSON patch, so they may overlap),
/// each bounded by the time left before the renew deadline and none abandoned for a fresh one; a 429's
/// Retry-After holds the next request back. Decisions and gate writes happen only in <see cref="StepAsync"/>
/// (one loop); requests run beside it and only record what they learnt.
/// </remarks>
internal sealed class LeaseArbiter : IDisposable
{
    private readonly VipOptions _options;
    private readonly ILeaseApiConnector _connector;
    private readonly IVrrpGate _gate;
    private readonly Func<bool> _holdsVip;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly List<Task> _requests = [];
    private readonly string _identity;
    private readonly string _leaseNamespace;
    private readonly string _leaseName;
    private readonly int _maxRenewals;
    private bool _initializing;
    private bool _connectedInitializing;
    private TimeSpan _advertInterval;
    private LeaseApi? _api;
    private ArbiterState _state;
    private VrrpEligibility? _written;
    private DateTimeOffset? _lastTransition;
    private bool _stopping;
    private long _handoverDeadline;
    private long? _successorSeenAt;

    // Shared with the requests (under _lock).
    private int _tenure;
    private int _token;
    private long _renewedAt;
    private bool _lost;
    private long _aliveUntil;
    private LeaseRecord? _observed;
    private long _observedAt;
    private (int Tenure, long SentAt, LeaseRecord Lease)? _acquired;
    private long _backoffUntil;
    private bool _backoffCoversFreeLease;

    // The step loop's own.
    private Task? _poll;
    private int _renewals;
    private long _nextRequestAt;
    private long _fallbackSince;
    private long? _notMasterSince;
    private bool _wasMaster;

    public LeaseArbiter(
        string identity, string leaseNamespace, string leaseName, bool initializing, TimeSpan advertInterval, VipOptions options, ILeaseApiConnector connector,
        IVrrpGate gate, Func<bool> holdsVip, TimeProvider time, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(identity);
        ArgumentException.ThrowIfNullOrWhiteSpace(leaseNamespace);
        ArgumentException.ThrowIfNullOrWhiteSpace(leaseName);
        options.Validate();
        _identity = identity;
        _leaseNamespace = leaseNamespace;
        _leaseName = leaseName;
        _initializing = initializing;
        _advertInterval = advertInterval;
        _options = options;
        _connector = connector;
        _gate = gate;
        _holdsVip = holdsVip;
        _time = time;
        _logger = logger;
        // Every renewal ends by the renew deadline, and one is sent per RetryPeriod: this many at most overlap.
        _maxRenewals = (int)Math.Ceiling(options.RenewDeadline / options.RetryPeriod) + 1;
        _state = initializing ? ArbiterState.Bootstrapping : ArbiterState.Following;
        SyncGate();
        RefreshAlive();
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

    /// <summary>The role's VRRP advert interval: it sets how long a new holder's keepalived takes to become master.</summary>
    public TimeSpan AdvertInterval
    {
        set => _advertInterval = value;
    }

    /// <summary>
    /// How long a Lease holder may go without its keepalived being master before it gives the Lease up:
    /// twice the master-down interval (3 adverts + skew) of a priority-100 instance, plus <see cref="VipOptions.PromotionGrace"/>.
    /// </summary>
    public static TimeSpan NotMasterLimit(TimeSpan advertInterval, VipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var masterDown = (advertInterval * 3) + (advertInterval * (256 - KeepalivedConfigRenderer.Priority) / 256);
        return (masterDown * 2) + options.PromotionGrace;
    }

    public ArbiterSnapshot Snapshot()
    {
        lock (_lock)
        {
            return new ArbiterSnapshot(_state, EligibilityOf(_state), _observed?.Holder, _observed?.Transitions ?? 0, _lastTransition);
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
            RefreshAlive();
            return _options.RetryPeriod;
        }

        if (_stopping)
        {
            RefreshAlive();
            return await HandoverStepAsync(cancellationToken).ConfigureAwait(false);
        }

        _requests.RemoveAll(t => t.IsCompleted);
        if (_state is ArbiterState.Bootstrapping or ArbiterState.Following && _requests.Count == 0 && (_api is null || _connectedInitializing != _initializing))
        {
            Connect();
        }

        var now = _time.GetTimestamp();
        Decide(now);
        if (_api is not null)
        {
            Send(_api.Leases, now);
        }

        SyncGate();
        RefreshAlive();
        return NextStep(now);
    }

    /// <summary>
    /// Graceful stop, as a handover: release the Lease while still VRRP master, demote as soon as a successor
    /// holds it (its keepalived is then a BACKUP hearing us, and our priority-0 advert lets it take over at
    /// once), or after 3 x RetryPeriod when nobody takes it. Returns once demoted.
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

        if (_state != ArbiterState.Leading || _api is null)
        {
            Enter(ArbiterState.Stopped, "graceful stop");
            return;
        }

        _stopping = true;
        _handoverDeadline = _time.GetTimestamp() + Ticks(_options.RetryPeriod * 3);
        int token;
        lock (_lock)
        {
            token = _token;
            _tenure++;
        }

        await ReleaseAsync(_api.Leases, token, _handoverDeadline, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }

        _disposed.Cancel();
        _api?.Dispose();
    }

    // One step of the handover: demote a retry period after the Lease names anyone (a successor, or still us
    // because the release did not land and we no longer renew), or once the bound has passed. The retry period
    // is the successor's own step: its keepalived is then a BACKUP that hears our priority-0 advert and takes
    // over after the VRRP skew, rather than still in FAULT and a master-down interval late.
    private async Task<TimeSpan> HandoverStepAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        var remaining = TimeUntil(_handoverDeadline, now);
        if (remaining <= TimeSpan.Zero || _api is null)
        {
            Enter(ArbiterState.Stopped, "graceful stop: nobody took the released Lease in time");
            return _options.RetryPeriod;
        }

        if (_successorSeenAt is { } seen)
        {
            var wait = _options.RetryPeriod - _time.GetElapsedTime(seen, now);
            if (wait <= TimeSpan.Zero)
            {
                Enter(ArbiterState.Stopped, $"graceful stop: handed over to {Snapshot().LeaseHolder}");
                return _options.RetryPeriod;
            }

            return wait < remaining ? wait : remaining;
        }

        try
        {
            var lease = await SendAsync(_api.Leases.GetAsync, _handoverDeadline, cancellationToken).ConfigureAwait(false);
            Observe(lease, _time.GetTimestamp());
            if (lease is { Free: false })
            {
                _successorSeenAt = _time.GetTimestamp();
                return _options.RetryPeriod;
            }
        }
        catch (LeaseApiException e)
        {
            // Asked again at the next step, until the bound.
            VipLog.RequestFailed(_logger, "read", e.Message);
        }

        return remaining < _options.RetryPeriod / 2 ? remaining : _options.RetryPeriod / 2;
    }

    private void Connect()
    {
        LeaseApi? api;
        try
        {
            api = _connector.TryConnect(_initializing, _leaseNamespace, _leaseName);
        }
        catch (Exception e) when (e is KubeConfigException or IOException or UnauthorizedAccessException or ArgumentException or FormatException)
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
        VipLog.Connected(_logger, _leaseNamespace, _leaseName, _initializing ? "the initializing host's kubeconfig" : "admin kubeconfig");
    }

    // The state after what the requests learnt and the clock: the only place that changes state.
    private void Decide(long now)
    {
        bool lost, proven, answered, fallbackRenewed;
        (int Tenure, long SentAt, LeaseRecord Lease)? acquired;
        string? holder;
        lock (_lock)
        {
            lost = _lost;
            proven = _time.GetElapsedTime(_renewedAt, now) < _options.RenewDeadline;
            answered = now < _aliveUntil;
            fallbackRenewed = _renewedAt >= _fallbackSince;
            acquired = _acquired;
            _acquired = null;
            holder = _observed?.Holder;
        }

        switch (_state)
        {
            case ArbiterState.Leading when lost:
                StepDown(now, $"the Lease is no longer ours (held by {holder ?? "nobody"})", backoff: false);
                break;
            case ArbiterState.Leading when !proven:
                if (answered)
                {
                    _fallbackSince = now;
                    Enter(ArbiterState.Fallback, "no renewal answered within the renew deadline but the local apiserver answers: keeping the VIP at lower priority");
                }
                else
                {
                    StepDown(now, "no renewal answered within the renew deadline and the local apiserver does not answer", backoff: true);
                }

                break;
            case ArbiterState.Leading:
                CheckMaster(now);
                break;
            case ArbiterState.Fallback when lost:
                StepDown(now, $"the Lease is no longer ours (held by {holder ?? "nobody"})", backoff: false);
                break;
            case ArbiterState.Fallback when proven && fallbackRenewed:
                _notMasterSince = null;
                Enter(ArbiterState.Leading, "a renewal was answered again");
                break;
            case ArbiterState.Fallback when !answered:
                StepDown(now, "the local apiserver stopped answering", backoff: true);
                break;
            case ArbiterState.Bootstrapping or ArbiterState.Following when acquired is { } a:
                lock (_lock)
                {
                    _tenure++;
                    _token = a.Lease.Transitions;
                    _renewedAt = a.SentAt;
                    _lost = false;
                }

                _notMasterSince = null;
                _wasMaster = false;
                _nextRequestAt = now;
                Enter(ArbiterState.Leading, $"acquired the Lease (transitions {a.Lease.Transitions})");
                break;
            case ArbiterState.Bootstrapping when holder is not null && holder != _identity:
                Enter(ArbiterState.Following, $"the Lease is held by {holder}");
                break;
            case ArbiterState.Bootstrapping when !_initializing:
                Enter(ArbiterState.Following, "no longer the initializing host");
                break;
        }
    }

    // A holder whose keepalived cannot become master (a flapping link, a broken VRRP path) gives the Lease to
    // a host that can, and keeps out of the way for two Lease durations.
    private void CheckMaster(long now)
    {
        if (_holdsVip())
        {
            _notMasterSince = null;
            _wasMaster = true;
            return;
        }

        _notMasterSince ??= now;
        // A holder that has not been master yet in this tenure may be waiting, by nopreempt, for a fallback
        // holder that has not seen the new Lease yet (a throttled apiserver): it waits longer before giving up.
        var limit = NotMasterLimit(_advertInterval, _options) * (_wasMaster ? 1 : 4);
        if (_time.GetElapsedTime(_notMasterSince.Value, now) < limit || _api is null)
        {
            return;
        }

        int token;
        lock (_lock)
        {
            token = _token;
            _tenure++;
            _backoffUntil = now + Ticks(_options.LeaseDuration * 2);
            _backoffCoversFreeLease = true;
        }

        Enter(ArbiterState.Following, $"keepalived has not been master for {limit.TotalSeconds:0.##} s while holding the Lease: giving it up");
        _requests.Add(ReleaseAsync(_api.Leases, token, now + Ticks(_options.RenewDeadline), _disposed.Token));
        _nextRequestAt = now + Ticks(_options.RetryPeriod);
    }

    private void StepDown(long now, string why, bool backoff)
    {
        lock (_lock)
        {
            _tenure++;
            if (backoff)
            {
                // The Lease still names us: leave it to the others for a Lease duration before taking it back.
                _backoffUntil = now + Ticks(_options.LeaseDuration);
                _backoffCoversFreeLease = false;
            }
        }

        Enter(ArbiterState.Following, why);
        _nextRequestAt = now;
    }

    private void Send(ILeaseStore leases, long now)
    {
        if (now < _nextRequestAt)
        {
            return;
        }

        if (_state is ArbiterState.Leading or ArbiterState.Fallback)
        {
            if (Volatile.Read(ref _renewals) >= _maxRenewals)
            {
                return;
            }

            int tenure, token;
            lock (_lock)
            {
                tenure = _tenure;
                token = _token;
            }

            // A renewal sent now proves the Lease from now on if it is answered within a renew deadline: that
            // is its bound, whatever earlier ones still in flight will bring.
            Interlocked.Increment(ref _renewals);
            _requests.Add(RenewAsync(leases, tenure, token, now, now + Ticks(_options.RenewDeadline)));
            _nextRequestAt = now + Ticks(_options.RetryPeriod);
        }
        else if (_poll is null || _poll.IsCompleted)
        {
            _poll = PollAsync(leases, now);
            _requests.Add(_poll);
            // client-go's jitter: followers do not poll in step.
            _nextRequestAt = now + Ticks(_options.RetryPeriod * (1 + (Random.Shared.NextDouble() * 0.2)));
        }
    }

    private async Task RenewAsync(ILeaseStore leases, int tenure, int token, long sentAt, long deadline)
    {
        try
        {
            var lease = await SendAsync(c => leases.RenewAsync(_identity, token, _time.GetUtcNow(), c), deadline, _disposed.Token).ConfigureAwait(false);
            lock (_lock)
            {
                if (tenure == _tenure && sentAt > _renewedAt)
                {
                    _renewedAt = sentAt;
                }
            }

            Observe(lease, _time.GetTimestamp());
        }
        catch (LeaseConflictException e)
        {
            lock (_lock)
            {
                _lost |= tenure == _tenure;
            }

            VipLog.RequestFailed(_logger, "renew", e.Message);
        }
        catch (Exception e) when (e is LeaseApiException or ObjectDisposedException || (e is OperationCanceledException && _disposed.IsCancellationRequested))
        {
            VipLog.RequestFailed(_logger, "renew", e.Message);
        }
        finally
        {
            Interlocked.Decrement(ref _renewals);
        }
    }

    // A follower's read, and its takeover when the Lease is free or has not changed for a Lease duration.
    private async Task PollAsync(ILeaseStore leases, long sentAt)
    {
        var deadline = sentAt + Ticks(_options.RenewDeadline);
        try
        {
            var lease = await SendAsync(leases.GetAsync, deadline, _disposed.Token).ConfigureAwait(false);
            var now = _time.GetTimestamp();
            Observe(lease, now);
            if (!MayTake(lease, now))
            {
                return;
            }

            var wallNow = _time.GetUtcNow();
            var acquireSentAt = _time.GetTimestamp();
            var acquired = lease is null
                ? await SendAsync(c => leases.CreateAsync(_identity, _options.LeaseDuration, wallNow, c), deadline, _disposed.Token).ConfigureAwait(false)
                : await SendAsync(c => leases.AcquireAsync(lease, _identity, lease.Holder == _identity ? lease.Transitions : lease.Transitions + 1, _options.LeaseDuration, wallNow, c),
                    deadline, _disposed.Token).ConfigureAwait(false);
            Observe(acquired, _time.GetTimestamp());
            lock (_lock)
            {
                _acquired = (_tenure, acquireSentAt, acquired);
            }
        }
        catch (Exception e) when (e is LeaseApiException or ObjectDisposedException || (e is OperationCanceledException && _disposed.IsCancellationRequested))
        {
            VipLog.RequestFailed(_logger, "read or acquire", e.Message);
        }
    }

    private async Task ReleaseAsync(ILeaseStore leases, int token, long deadline, CancellationToken cancellationToken)
    {
        try
        {
            // Sent again until its deadline when unanswered: a holder giving the Lease up from a flapping link gets it out in an up-window.
            Observe(await SendAsync(c => leases.ReleaseAsync(_identity, token, _time.GetUtcNow(), c), deadline, cancellationToken, retryUnanswered: true).ConfigureAwait(false),
                _time.GetTimestamp());
            VipLog.Released(_logger, _leaseNamespace, _leaseName);
        }
        catch (Exception e) when (e is LeaseApiException or ObjectDisposedException || (e is OperationCanceledException && _disposed.IsCancellationRequested))
        {
            VipLog.RequestFailed(_logger, "release", e.Message);
        }
    }

    private bool MayTake(LeaseRecord? lease, long now)
    {
        lock (_lock)
        {
            if (_state is not (ArbiterState.Following or ArbiterState.Bootstrapping) || _acquired is not null)
            {
                return false;
            }

            if (lease is null || lease.Free)
            {
                return !_backoffCoversFreeLease || now >= _backoffUntil;
            }

            if (now < _backoffUntil)
            {
                return false;
            }

            // Ours (this agent restarted, or stepped down a Lease duration ago), or another's unchanged for a Lease
            // duration since we first saw this version: its holder stepped down R after it sent that write.
            return lease.Holder == _identity || _time.GetElapsedTime(_observedAt, now) >= _options.LeaseDuration;
        }
    }

    // One request, bounded by the time left before its deadline. A 429 is retried after its Retry-After when
    // that is still before the deadline (client-go's rule), otherwise the request ends there; requests sent
    // beside it keep their own schedule. With retryUnanswered, a request that got no answer is sent again a
    // retry period later, until the deadline.
    private async Task<T> SendAsync<T>(Func<CancellationToken, Task<T>> call, long deadline, CancellationToken cancellationToken, bool retryUnanswered = false)
    {
        while (true)
        {
            var left = TimeUntil(deadline, _time.GetTimestamp());
            if (left <= TimeSpan.Zero)
            {
                throw new LeaseApiException(null, "no time left before the deadline");
            }

            // A retried request gives each try two retry periods: one stuck on a dead connection does not take
            // the whole deadline with it.
            var bound = retryUnanswered && left > _options.RetryPeriod * 2 ? _options.RetryPeriod * 2 : left;
            TimeSpan wait;
            using (var timeout = new CancellationTokenSource(bound, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    var result = await call(linked.Token).ConfigureAwait(false);
                    MarkAnswered(null);
                    return result;
                }
                catch (LeaseApiException e) when (e.Answered)
                {
                    MarkAnswered(e.Status == 429 ? e.RetryAfter ?? _options.RetryPeriod : null);
                    wait = e.Status == 429 ? e.RetryAfter ?? _options.RetryPeriod : TimeSpan.Zero;
                    if (e.Status != 429 || wait >= TimeUntil(deadline, _time.GetTimestamp()))
                    {
                        throw;
                    }
                }
                catch (Exception e) when (e is LeaseApiException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    if (!retryUnanswered || _options.RetryPeriod >= TimeUntil(deadline, _time.GetTimestamp()))
                    {
                        throw e as LeaseApiException ?? new LeaseApiException(null, $"no answer within {bound.TotalMilliseconds:0} ms");
                    }

                    wait = e is OperationCanceledException ? TimeSpan.Zero : _options.RetryPeriod;
                }
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private void MarkAnswered(TimeSpan? retryAfter)
    {
        var now = _time.GetTimestamp();
        var hold = retryAfter is not { } wait ? TimeSpan.Zero : wait < _options.LeaseDuration ? wait : _options.LeaseDuration;
        lock (_lock)
        {
            // An apiserver that said "come back in N s" is alive until a renew deadline after that.
            _aliveUntil = Math.Max(_aliveUntil, now + Ticks(hold + _options.RenewDeadline));
        }
    }

    // The observation time is ours (monotonic), not the record's renewTime: other hosts' clocks and wall-clock
    // jumps never enter a decision.
    private void Observe(LeaseRecord? lease, long at)
    {
        lock (_lock)
        {
            if (lease is not null && lease.ResourceVersion == _observed?.ResourceVersion)
            {
                return;
            }

            _observed = lease;
            _observedAt = at;
        }
    }

    private TimeSpan NextStep(long now)
    {
        var next = now + Ticks(_options.RetryPeriod);
        lock (_lock)
        {
            next = Math.Min(next, _nextRequestAt);
            if (_state == ArbiterState.Leading)
            {
                next = Math.Min(next, _renewedAt + Ticks(_options.RenewDeadline));
            }
        }

        var delay = TimeUntil(next, now);
        return delay < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : delay;
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

    // Every step (every P at most) renews the sign of life keepalived checks: a frozen arbiter's keepalived
    // goes to FAULT a Lease duration after its last step, plus the check's interval. Ten steps of slack: a
    // loaded host that is late with a step must not lose the VIP for it.
    private void RefreshAlive()
    {
        try
        {
            _gate.Refresh(_options.LeaseDuration);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            VipLog.GateFailed(_logger, EligibilityOf(_state), e.Message);
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private TimeSpan TimeUntil(long at, long now) =>
        at <= now ? TimeSpan.Zero : TimeSpan.FromSeconds((double)(at - now) / _time.TimestampFrequency);

    private static VrrpEligibility EligibilityOf(ArbiterState state) => state switch
    {
        ArbiterState.Leading or ArbiterState.Bootstrapping => VrrpEligibility.Eligible,
        ArbiterState.Fallback => VrrpEligibility.Fallback,
        _ => VrrpEligibility.Barred,
    };
}
