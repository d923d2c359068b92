using ImmutableInfra.Agent.Vip;
using ImmutableInfra.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;

namespace ImmutableInfra.Agent.Tests.Vip;

/// <summary>How one host's apiserver answers the arbiter.</summary>
internal enum ApiFault
{
    None,

    /// <summary>The local apiserver is dead: every call fails to connect.</summary>
    Unreachable,

    /// <summary>The apiserver answers but etcd has no quorum: every Lease call is answered 503.</summary>
    NoQuorum,

    /// <summary>Priority and fairness sheds the host's requests: every call is answered 429 with <see cref="SimulatedHost.RetryAfter"/>.</summary>
    Throttled,
}

/// <summary>The Lease as the shared store holds it.</summary>
internal sealed record StoredLease(string? Holder, int Transitions, long Version, DateTimeOffset RenewTime);

/// <summary>
/// Control-plane hosts whose arbiters share one Lease store on a fake clock. Each host's <see cref="ILeaseStore"/>
/// applies the store's rules (conditional writes, a failed condition answered as a conflict) behind a per-host
/// fault switch and latency; gates record every eligibility written.
/// </summary>
internal sealed class LeaseCluster : IDisposable
{
    public const string Namespace = "kube-system";
    public const string Name = "c1-control-plane-vip";

    private readonly List<SimulatedHost> _hosts = [];
    private long _version = 100;

    public FakeTimeProvider Time { get; } = new();

    public VipOptions Options { get; } = new();

    public int MaxFullyEligibleAtOnce { get; private set; }

    public StoredLease? Lease { get; private set; }

    public SimulatedHost AddHost(string name, bool initializing = false, bool connected = true)
    {
        var host = new SimulatedHost(this, name, initializing, connected);
        _hosts.Add(host);
        return host;
    }

    /// <summary>Advances the clock in small increments, stepping each host when its step is due; checks the invariant after every step.</summary>
    public async Task RunForAsync(TimeSpan span)
    {
        var increment = TimeSpan.FromMilliseconds(10);
        for (var elapsed = TimeSpan.Zero; elapsed < span; elapsed += increment)
        {
            Time.Advance(increment);
            // Let requests whose latency ended complete before the steps look at what they learnt.
            await Task.Yield();
            foreach (var host in _hosts.Where(h => h.Running && Time.GetTimestamp() >= h.NextStepAt).ToList())
            {
                await host.StepAsync();
                MaxFullyEligibleAtOnce = Math.Max(MaxFullyEligibleAtOnce, _hosts.Count(h => h.Gate == VrrpEligibility.Eligible));
            }
        }
    }

    public void Dispose()
    {
        foreach (var host in _hosts)
        {
            host.Arbiter.Dispose();
        }
    }

    internal LeaseRecord? Read() => Lease is { } lease ? Record(lease) : null;

    internal LeaseRecord Write(SimulatedHost host, Func<StoredLease?, StoredLease?> change)
    {
        var next = change(Lease) ?? throw new LeaseConflictException(Lease is null ? 404 : 422, "precondition failed");
        Lease = next with { Version = ++_version };
        host.Writes.Add(Lease);
        return Record(Lease);
    }

    private static LeaseRecord Record(StoredLease lease) => new(lease.Holder, lease.Transitions, lease.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>One host's view of the shared store, through its apiserver's fault and latency.</summary>
internal sealed class SimulatedLeaseStore(LeaseCluster cluster, SimulatedHost host) : ILeaseStore
{
    public async Task<LeaseRecord?> GetAsync(CancellationToken cancellationToken)
    {
        await AnswerAsync(cancellationToken);
        return cluster.Read();
    }

    public async Task<LeaseRecord> CreateAsync(string holder, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await AnswerAsync(cancellationToken);
        return cluster.Lease is null ? cluster.Write(host, _ => new StoredLease(holder, 0, 0, now)) : throw new LeaseConflictException(409, "exists");
    }

    public async Task<LeaseRecord> AcquireAsync(LeaseRecord observed, string holder, int transitions, TimeSpan duration, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await AnswerAsync(cancellationToken);
        return cluster.Write(host, l => l is not null && l.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) == observed.ResourceVersion
            ? new StoredLease(holder, transitions, 0, now) : null);
    }

    public async Task<LeaseRecord> RenewAsync(string holder, int transitions, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await AnswerAsync(cancellationToken);
        return cluster.Write(host, l => l is not null && l.Holder == holder && l.Transitions == transitions ? l with { RenewTime = now } : null);
    }

    public async Task<LeaseRecord> ReleaseAsync(string holder, int transitions, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await AnswerAsync(cancellationToken);
        return cluster.Write(host, l => l is not null && l.Holder == holder && l.Transitions == transitions ? l with { Holder = null, RenewTime = now } : null);
    }

    private async Task AnswerAsync(CancellationToken cancellationToken)
    {
        host.Requests++;
        if (host.Latency > TimeSpan.Zero)
        {
            await Task.Delay(host.Latency, cluster.Time, cancellationToken);
        }

        switch (host.Fault)
        {
            case ApiFault.Unreachable:
                throw new LeaseApiException(null, "connection refused");
            case ApiFault.NoQuorum:
                throw new LeaseApiException(503, "etcdserver: request timed out");
            case ApiFault.Throttled:
                throw new LeaseApiException(429, "too many requests", host.RetryAfter);
        }
    }
}

/// <summary>One control-plane host: its arbiter, the eligibility it last wrote, its apiserver's fault.</summary>
internal sealed class SimulatedHost
{
    private readonly LeaseCluster _cluster;

    public SimulatedHost(LeaseCluster cluster, string name, bool initializing, bool connected)
    {
        _cluster = cluster;
        Name = name;
        Connected = connected;
        var gate = Substitute.For<IVrrpGate>();
        gate.When(g => g.Set(Arg.Any<VrrpEligibility>())).Do(call =>
        {
            Gate = call.Arg<VrrpEligibility>();
            GateLog.Add((cluster.Time.GetTimestamp(), Gate.Value, cluster.Lease?.Holder));
        });
        gate.When(g => g.Refresh(Arg.Any<TimeSpan>())).Do(_ => AliveRefreshedAt = cluster.Time.GetTimestamp());
        var connector = Substitute.For<ILeaseApiConnector>();
        connector.TryConnect(Arg.Any<bool>(), Arg.Any<string>(), Arg.Any<string>()).Returns(_ => Connected ? new LeaseApi(new SimulatedLeaseStore(cluster, this)) : null);
        Connector = connector;
        Arbiter = new LeaseArbiter(name, LeaseCluster.Namespace, LeaseCluster.Name, initializing, TimeSpan.FromMilliseconds(100), cluster.Options, connector, gate,
            () => HoldsVip ?? Gate is VrrpEligibility.Eligible or VrrpEligibility.Fallback, cluster.Time, NullLogger.Instance);
    }

    public string Name { get; }

    public LeaseArbiter Arbiter { get; }

    public ILeaseApiConnector Connector { get; }

    /// <summary>False until a kubeconfig exists (before kubeadm wrote one).</summary>
    public bool Connected { get; set; }

    public ApiFault Fault { get; set; }

    /// <summary>Added to every answer of this host's apiserver.</summary>
    public TimeSpan Latency { get; set; }

    public TimeSpan? RetryAfter { get; set; }

    /// <summary>Whether keepalived is master; null: exactly when eligible (VRRP follows the gate at once).</summary>
    public bool? HoldsVip { get; set; }

    public int Requests { get; set; }

    public long AliveRefreshedAt { get; private set; }

    /// <summary>False once crashed (no more steps, no release) or stopped.</summary>
    public bool Running { get; set; } = true;

    public VrrpEligibility? Gate { get; private set; }

    /// <summary>Every eligibility written, with the Lease holder in the store at that instant.</summary>
    public List<(long At, VrrpEligibility Eligibility, string? LeaseHolder)> GateLog { get; } = [];

    public List<StoredLease> Writes { get; } = [];

    public long NextStepAt { get; private set; }

    public ArbiterState State => Arbiter.Snapshot().State;

    public async Task StepAsync()
    {
        var delay = await Arbiter.StepAsync(CancellationToken.None);
        NextStepAt = _cluster.Time.GetTimestamp() + delay.Ticks;
    }

    /// <summary>Starts a graceful stop; the cluster's steps carry the handover on until the arbiter is Stopped.</summary>
    public async Task StopAsync()
    {
        await Arbiter.BeginStopAsync(CancellationToken.None);
        NextStepAt = _cluster.Time.GetTimestamp();
    }
}
