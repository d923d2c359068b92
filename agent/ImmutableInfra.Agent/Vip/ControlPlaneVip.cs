using Google.Protobuf.WellKnownTypes;
using ImmutableInfra.Agent.Coordination;
using ImmutableInfra.Agent.Platform;
using ImmutableInfra.Contract.V1;
using Microsoft.Extensions.Logging;

namespace ImmutableInfra.Agent.Vip;

/// <summary>
/// The VIP role on this host: keeps keepalived.conf rendered from the newest role, runs the Lease arbiter,
/// and reports VipStatus. The converger hands it every role it receives; it runs beside the converger.
/// </summary>
internal sealed class ControlPlaneVip(
    VipOptions options,
    ILocalAddresses addresses,
    KeepalivedConfigFile config,
    IVrrpGate gate,
    ILeaseApiConnector connector,
    ObservedStateTracker tracker,
    Func<string> identity,
    TimeProvider time,
    ILoggerFactory loggers) : IDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<ControlPlaneVip>();
    private readonly Lock _lock = new();
    private readonly WakeSignal _wake = new();
    private VipRole? _desired;
    private bool _offered;
    private VipRole? _applied;
    private bool _applyFailed;
    private LeaseArbiter? _arbiter;
    private KeepalivedConfig? _rendered;

    /// <summary>Takes the role of the newest desired state (null: this host holds no VIP role); returns at once.</summary>
    public void Offer(VipRole? role)
    {
        lock (_lock)
        {
            if (_offered && Equals(_desired, role))
            {
                return;
            }

            _desired = role?.Clone();
            _offered = true;
        }

        _wake.Signal();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var delay = Timeout.InfiniteTimeSpan;
                VipRole? desired;
                bool offered;
                lock (_lock)
                {
                    desired = _desired;
                    offered = _offered;
                }

                if (offered && (_applyFailed || !Equals(desired, _applied)))
                {
                    delay = await ApplyRoleAsync(desired, cancellationToken).ConfigureAwait(false);
                }

                if (_arbiter is not null)
                {
                    var step = await StepArbiterAsync(_arbiter, cancellationToken).ConfigureAwait(false);
                    delay = delay == Timeout.InfiniteTimeSpan || step < delay ? step : delay;
                    Report();
                }

                await WaitAsync(delay, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (_arbiter is not null)
            {
                await _arbiter.StopAsync(CancellationToken.None).ConfigureAwait(false);
                Report();
                _arbiter.Dispose();
            }
        }
    }

    private async Task<TimeSpan> ApplyRoleAsync(VipRole? role, CancellationToken cancellationToken)
    {
        try
        {
            if (role is null)
            {
                await RemoveRoleAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await TakeRoleAsync(role, cancellationToken).ConfigureAwait(false);
            }

            _applied = role;
            _applyFailed = false;
            return Timeout.InfiniteTimeSpan;
        }
        catch (Exception e) when (e is VipConfigurationException or IOException or UnauthorizedAccessException or SystemdException)
        {
            _applyFailed = true;
            VipLog.RoleNotApplied(_logger, role?.Cluster ?? "(none)", e.Message, options.ConfigRetry);
            return options.ConfigRetry;
        }
    }

    private async Task TakeRoleAsync(VipRole role, CancellationToken cancellationToken)
    {
        var rendered = KeepalivedConfigRenderer.Render(role, addresses.All(), options.TrackFilePath);
        var (leaseNamespace, leaseName) = LeaseOf(role);
        if (_arbiter is not null && _applied is not null && LeaseOf(_applied) == (leaseNamespace, leaseName))
        {
            _arbiter.Initializing = role.Initializing;
            _arbiter.AdvertInterval = KeepalivedConfigRenderer.AdvertInterval(role);
        }
        else
        {
            await DropArbiterAsync().ConfigureAwait(false);
            // The arbiter writes the track file (barred, or eligible when bootstrapping) before keepalived starts.
            _arbiter = new LeaseArbiter(identity(), leaseNamespace, leaseName, role.Initializing, KeepalivedConfigRenderer.AdvertInterval(role), options, connector, gate,
                HoldsVip, time, loggers.CreateLogger<LeaseArbiter>());
            VipLog.RoleTaken(_logger, role.Cluster, role.Vip, role.Vrid, role.Peers.Count, role.Initializing);
        }

        _rendered = rendered;
        if (await config.ApplyAsync(rendered.Text, cancellationToken).ConfigureAwait(false) is { } action)
        {
            VipLog.ConfigApplied(_logger, role.Vip, rendered.Interface, action, options.KeepalivedUnit);
        }
    }

    private async Task RemoveRoleAsync(CancellationToken cancellationToken)
    {
        if (_arbiter is null && _applied is null)
        {
            return;
        }

        await DropArbiterAsync().ConfigureAwait(false);
        await config.StopAsync(cancellationToken).ConfigureAwait(false);
        _rendered = null;
        tracker.Update(s => s.Vip = null);
        VipLog.RoleRemoved(_logger);
    }

    private async Task DropArbiterAsync()
    {
        if (_arbiter is null)
        {
            return;
        }

        await _arbiter.StopAsync(CancellationToken.None).ConfigureAwait(false);
        _arbiter.Dispose();
        _arbiter = null;
    }

    private async Task<TimeSpan> StepArbiterAsync(LeaseArbiter arbiter, CancellationToken cancellationToken)
    {
        try
        {
            return await arbiter.StepAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A bug in one step must not end the arbiter; the next step starts from its state.
        catch (Exception e)
#pragma warning restore CA1031
        {
            VipLog.StepFailed(_logger, e);
            return options.RetryPeriod;
        }
    }

    private void Report()
    {
        if (_arbiter is null || _applied is null)
        {
            return;
        }

        var snapshot = _arbiter.Snapshot();
        var held = HoldsVip();
        var vrrp = snapshot.State == ArbiterState.Stopped ? VrrpState.Stopped
            : held ? VrrpState.Master
            : snapshot.Eligibility == VrrpEligibility.Barred ? VrrpState.Fault
            : VrrpState.Backup;
        var status = new VipStatus
        {
            Cluster = _applied.Cluster,
            VrrpState = vrrp,
            ArbiterState = snapshot.State.ToString(),
            LeaseHolder = snapshot.LeaseHolder ?? string.Empty,
            LeaseTransitions = snapshot.LeaseTransitions,
            LastTransitionTime = snapshot.LastTransition is { } at ? Timestamp.FromDateTimeOffset(at) : null,
        };
        tracker.Update(s => s.Vip = status);
    }

    // keepalived is master exactly when the VIP is on the rendered interface.
    private bool HoldsVip()
    {
        var rendered = _rendered;
        return rendered is not null && addresses.All().Any(a => a.Interface == rendered.Interface && a.Address.Equals(rendered.Vip));
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        using var timeout = delay == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(delay, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await _wake.WaitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The step is due.
        }
    }

    public void Dispose() => _arbiter?.Dispose();

    /// <summary>The Lease named by the role, or <c>kube-system/&lt;cluster&gt;-control-plane-vip</c>.</summary>
    public static (string Namespace, string Name) LeaseOf(VipRole role)
    {
        ArgumentNullException.ThrowIfNull(role);
        var cluster = role.Cluster[(role.Cluster.LastIndexOf('/') + 1)..];
        return (role.LeaseNamespace.Length > 0 ? role.LeaseNamespace : "kube-system",
            role.LeaseName.Length > 0 ? role.LeaseName : $"{cluster}-control-plane-vip");
    }
}
