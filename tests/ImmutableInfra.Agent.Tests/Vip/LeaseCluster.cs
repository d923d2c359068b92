using System.Net;
using ImmutableInfra.Agent.Vip;
using ImmutableInfra.Kubernetes.Client;
using ImmutableInfra.Kubernetes.Objects;
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

    /// <summary>The apiserver answers but etcd has no quorum: reads and writes fail with 503, cached lists answer.</summary>
    NoQuorum,
}

/// <summary>
/// Control-plane hosts whose arbiters share one Lease store on a fake clock. Each host's Lease client is an
/// NSubstitute fake over the store with a per-host fault switch; gates record every eligibility written.
/// </summary>
internal sealed class LeaseCluster : IDisposable
{
    public const string Namespace = "kube-system";
    public const string Name = "c1-control-plane-vip";

    private readonly Dictionary<string, Lease> _store = [];
    private readonly List<SimulatedHost> _hosts = [];
    private long _version = 100;

    public FakeTimeProvider Time { get; } = new();

    public VipOptions Options { get; } = new();

    public int MaxFullyEligibleAtOnce { get; private set; }

    public Lease? Lease => _store.TryGetValue(Name, out var lease) ? Clone(lease) : null;

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

    internal IResourceClient<Lease> ClientFor(SimulatedHost host)
    {
        var client = Substitute.For<IResourceClient<Lease>>();
        client.GetAsync(Namespace, Name, Arg.Any<CancellationToken>()).Returns(_ =>
        {
            Check(host, needsEtcd: true);
            return _store.TryGetValue(Name, out var lease) ? Clone(lease) : throw new KubeNotFoundException("leases \"" + Name + "\" not found");
        });
        client.ListAsync(Namespace, Arg.Any<ListOptions?>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            // resourceVersion=0 comes from the watch cache, which answers without quorum.
            var cached = call.ArgAt<ListOptions?>(1)?.ResourceVersion == "0";
            Check(host, needsEtcd: !cached);
            return new KubeList<Lease>(_store.Values.Select(Clone).ToList(), new ListMeta());
        });
        client.CreateAsync(Arg.Any<Lease>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            Check(host, needsEtcd: true);
            var lease = Clone(call.Arg<Lease>());
            if (_store.ContainsKey(Name))
            {
                throw new KubeAlreadyExistsException("exists");
            }

            lease.Metadata.ResourceVersion = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _store[Name] = lease;
            host.Writes.Add(Clone(lease));
            return Clone(lease);
        });
        client.UpdateAsync(Arg.Any<Lease>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            Check(host, needsEtcd: true);
            var lease = Clone(call.Arg<Lease>());
            if (!_store.TryGetValue(Name, out var current) || current.Metadata.ResourceVersion != lease.Metadata.ResourceVersion)
            {
                throw new KubeConflictException("stale");
            }

            lease.Metadata.ResourceVersion = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _store[Name] = lease;
            host.Writes.Add(Clone(lease));
            return Clone(lease);
        });
        return client;
    }

    private static void Check(SimulatedHost host, bool needsEtcd)
    {
        if (host.Fault == ApiFault.Unreachable)
        {
            throw new KubeConnectionException("connection refused");
        }

        if (host.Fault == ApiFault.NoQuorum && needsEtcd)
        {
            throw new KubeApiException(new KubeStatus { Message = "etcdserver: request timed out" }, HttpStatusCode.ServiceUnavailable);
        }
    }

    private static Lease Clone(Lease lease) => new()
    {
        Metadata = new ObjectMeta { Name = lease.Metadata.Name, Namespace = lease.Metadata.Namespace, ResourceVersion = lease.Metadata.ResourceVersion },
        Spec = lease.Spec is null ? null : new LeaseSpec
        {
            HolderIdentity = lease.Spec.HolderIdentity,
            LeaseDurationSeconds = lease.Spec.LeaseDurationSeconds,
            AcquireTime = lease.Spec.AcquireTime,
            RenewTime = lease.Spec.RenewTime,
            LeaseTransitions = lease.Spec.LeaseTransitions,
        },
    };
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
            GateLog.Add((cluster.Time.GetTimestamp(), Gate.Value, cluster.Lease?.Spec?.HolderIdentity));
        });
        var connector = Substitute.For<ILeaseApiConnector>();
        connector.TryConnect(Arg.Any<bool>()).Returns(_ => Connected ? new LeaseApi(cluster.ClientFor(this)) : null);
        Connector = connector;
        Arbiter = new LeaseArbiter(name, LeaseCluster.Namespace, LeaseCluster.Name, initializing, cluster.Options, connector, gate, cluster.Time, NullLogger.Instance);
    }

    public string Name { get; }

    public LeaseArbiter Arbiter { get; }

    public ILeaseApiConnector Connector { get; }

    /// <summary>False until a kubeconfig exists (before kubeadm wrote one).</summary>
    public bool Connected { get; set; }

    public ApiFault Fault { get; set; }

    /// <summary>False once crashed (no more steps, no release) or stopped.</summary>
    public bool Running { get; set; } = true;

    public VrrpEligibility? Gate { get; private set; }

    /// <summary>Every eligibility written, with the Lease holder in the store at that instant.</summary>
    public List<(long At, VrrpEligibility Eligibility, string? LeaseHolder)> GateLog { get; } = [];

    public List<Lease> Writes { get; } = [];

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
