using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ImmutableInfra.Kubernetes.LeaderElection;

/// <summary>
/// Leader election over a coordination.k8s.io/v1 Lease with client-go's semantics. Every decision is timed
/// on the monotonic clock (<see cref="TimeProvider.GetTimestamp"/>): a candidate takes over only after it has
/// seen the Lease unchanged for LeaseDuration, and the leader steps down once RenewDeadline has passed since
/// its last successful renewal started, so a wall-clock jump cannot produce two holders. Give it a client of
/// its own (never behind a shared rate limiter).
/// </summary>
public sealed class LeaseLeaderElector
{
    private readonly IResourceClient<Lease> _leases;
    private readonly LeaderElectionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private string? _observedVersion;
    private string? _observedHolder;
    private long _observedAt;
    private bool _leading;
    private long _renewedAt;
    private long _nextAttemptAt;
    private int _transitions;

    public LeaseLeaderElector(IResourceClient<Lease> leases, LeaderElectionOptions options, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(leases);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _leases = leases;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Raised when this candidate becomes leader; carries the fencing token.</summary>
    public event EventHandler<LeaderElectionEventArgs>? StartedLeading;

    /// <summary>Raised when this candidate stops leading (renewal failed past the deadline, lost, or released).</summary>
    public event EventHandler<LeaderElectionEventArgs>? StoppedLeading;

    /// <summary>Raised when a different holder (or none) is observed.</summary>
    public event EventHandler<LeaderElectionEventArgs>? NewLeaderObserved;

    public string Identity => _options.Identity;

    /// <summary>True while leading and the renew deadline has not passed (exact at every instant, not just at ticks).</summary>
    public bool IsLeader
    {
        get
        {
            lock (_lock)
            {
                return _leading && _time.GetElapsedTime(_renewedAt) < _options.RenewDeadline;
            }
        }
    }

    /// <summary>The Lease's leaseTransitions when this candidate acquired it: a fencing token for its writes.</summary>
    public int? FencingToken
    {
        get
        {
            lock (_lock)
            {
                return IsLeaderLocked() ? _transitions : null;
            }
        }
    }

    /// <summary>The holder last observed on the Lease.</summary>
    public string? ObservedLeader
    {
        get
        {
            lock (_lock)
            {
                return _observedHolder;
            }
        }
    }

    /// <summary>Competes (and leads) until cancelled, then releases the Lease if leading.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var delay = await TickAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Graceful stop.
        }
        finally
        {
            if (_options.ReleaseOnStop)
            {
                using var timeout = new CancellationTokenSource(_options.RenewDeadline, _time);
                await ReleaseAsync(timeout.Token).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Does what is due now (step down, renew, or try to acquire) and returns the time until the next step.</summary>
    public async Task<TimeSpan> TickAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        if (_leading && _time.GetElapsedTime(_renewedAt, now) >= _options.RenewDeadline)
        {
            StepDown("renewal failed past the renew deadline");
        }

        if (now < _nextAttemptAt)
        {
            return TimeUntil(_nextAttemptAt, now);
        }

        var attemptStart = now;
        var budget = _leading ? _options.RenewDeadline - _time.GetElapsedTime(_renewedAt, now) : _options.RenewDeadline;
        using var timeout = new CancellationTokenSource(budget, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        bool acquired;
        try
        {
            acquired = await TryAcquireOrRenewAsync(attemptStart, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LeaderElectionLog.AttemptFailed(_logger, e, _options.LeaseNamespace, _options.LeaseName, _options.Identity);
            acquired = false;
        }

        now = _time.GetTimestamp();
        if (_leading && !acquired && _observedHolder != _options.Identity)
        {
            StepDown($"the Lease is held by {_observedHolder}");
        }
        else if (_leading && _time.GetElapsedTime(_renewedAt, now) >= _options.RenewDeadline)
        {
            StepDown("renewal failed past the renew deadline");
        }

        var period = _leading ? _options.RetryPeriod : _options.RetryPeriod * (1 + Random.Shared.NextDouble() * (LeaderElectionOptions.JitterFactor - 1));
        _nextAttemptAt = now + Ticks(period);
        var wake = _leading ? Math.Min(_nextAttemptAt, _renewedAt + Ticks(_options.RenewDeadline)) : _nextAttemptAt;
        return TimeUntil(wake, now);
    }

    /// <summary>Clears the holder (keeping leaseTransitions) so another candidate can take over at once.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (!_leading)
        {
            return;
        }

        try
        {
            var lease = await _leases.GetAsync(_options.LeaseNamespace, _options.LeaseName, cancellationToken).ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity == _options.Identity)
            {
                var wallNow = _time.GetUtcNow();
                lease.Spec.HolderIdentity = null;
                lease.Spec.LeaseDurationSeconds = 1;
                lease.Spec.RenewTime = wallNow;
                lease.Spec.AcquireTime = wallNow;
                await _leases.UpdateAsync(lease, cancellationToken).ConfigureAwait(false);
                LeaderElectionLog.Released(_logger, _options.Identity, _options.LeaseNamespace, _options.LeaseName);
            }
        }
        catch (Exception e) when (e is KubeApiException or KubeConnectionException or OperationCanceledException)
        {
            LeaderElectionLog.AttemptFailed(_logger, e, _options.LeaseNamespace, _options.LeaseName, _options.Identity);
        }
        finally
        {
            StepDown(Released);
        }
    }

    private async Task<bool> TryAcquireOrRenewAsync(long attemptStart, CancellationToken cancellationToken)
    {
        Lease lease;
        try
        {
            lease = await _leases.GetAsync(_options.LeaseNamespace, _options.LeaseName, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeNotFoundException)
        {
            var created = await _leases.CreateAsync(NewLease(), cancellationToken).ConfigureAwait(false);
            Observe(created, attemptStart);
            BecomeLeader(created, attemptStart);
            return true;
        }

        Observe(lease, _time.GetTimestamp());
        var spec = lease.Spec ??= new LeaseSpec();
        var holder = spec.HolderIdentity;
        if (!string.IsNullOrEmpty(holder) && holder != _options.Identity &&
            _time.GetElapsedTime(_observedAt) < _options.LeaseDuration)
        {
            return false;
        }

        var wallNow = _time.GetUtcNow();
        if (holder != _options.Identity)
        {
            spec.LeaseTransitions = (spec.LeaseTransitions ?? 0) + 1;
            spec.AcquireTime = wallNow;
        }

        spec.HolderIdentity = _options.Identity;
        spec.LeaseDurationSeconds = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds);
        spec.RenewTime = wallNow;
        try
        {
            var updated = await _leases.UpdateAsync(lease, cancellationToken).ConfigureAwait(false);
            Observe(updated, attemptStart);
            BecomeLeader(updated, attemptStart);
            return true;
        }
        catch (KubeConflictException)
        {
            // Someone else wrote first; the next attempt reads their record.
            return false;
        }
    }

    private Lease NewLease()
    {
        var wallNow = _time.GetUtcNow();
        return new Lease
        {
            Metadata = new ObjectMeta { Name = _options.LeaseName, Namespace = _options.LeaseNamespace },
            Spec = new LeaseSpec
            {
                HolderIdentity = _options.Identity,
                LeaseDurationSeconds = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds),
                AcquireTime = wallNow,
                RenewTime = wallNow,
                LeaseTransitions = 0,
            },
        };
    }

    // The observation time is ours (monotonic), not the record's renewTime: clocks of other hosts and
    // wall-clock jumps never enter the decision.
    private void Observe(Lease lease, long at)
    {
        string? previousHolder;
        bool changedHolder;
        lock (_lock)
        {
            if (lease.Metadata.ResourceVersion == _observedVersion)
            {
                return;
            }

            previousHolder = _observedHolder;
            _observedVersion = lease.Metadata.ResourceVersion;
            _observedHolder = string.IsNullOrEmpty(lease.Spec?.HolderIdentity) ? null : lease.Spec!.HolderIdentity;
            _observedAt = at;
            changedHolder = previousHolder != _observedHolder;
        }

        if (changedHolder)
        {
            LeaderElectionLog.NewLeader(_logger, _options.LeaseNamespace, _options.LeaseName, _observedHolder ?? "(none)");
            NewLeaderObserved?.Invoke(this, new LeaderElectionEventArgs(_observedHolder, lease.Spec?.LeaseTransitions ?? 0));
        }
    }

    private void BecomeLeader(Lease lease, long attemptStart)
    {
        bool started;
        lock (_lock)
        {
            started = !_leading;
            _leading = true;
            _renewedAt = attemptStart;
            _transitions = lease.Spec?.LeaseTransitions ?? 0;
        }

        if (started)
        {
            LeaderElectionLog.Acquired(_logger, _options.Identity, _options.LeaseNamespace, _options.LeaseName, _transitions);
            StartedLeading?.Invoke(this, new LeaderElectionEventArgs(_options.Identity, _transitions));
        }
    }

    private const string Released = "released";

    private void StepDown(string why)
    {
        lock (_lock)
        {
            if (!_leading)
            {
                return;
            }

            _leading = false;
        }

        // A graceful release was logged as such already; it is no warning.
        if (why != Released)
        {
            LeaderElectionLog.SteppedDown(_logger, _options.Identity, _options.LeaseNamespace, _options.LeaseName, why);
        }

        StoppedLeading?.Invoke(this, new LeaderElectionEventArgs(_options.Identity, _transitions));
    }

    private bool IsLeaderLocked() => _leading && _time.GetElapsedTime(_renewedAt) < _options.RenewDeadline;

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private TimeSpan TimeUntil(long at, long now) =>
        at <= now ? TimeSpan.Zero : TimeSpan.FromSeconds((double)(at - now) / _time.TimestampFrequency);
}
